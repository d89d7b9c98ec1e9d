"""What the recipe's training loops share: train.py (acoustic model), lm/train_lm.py, punct/train_punct.py and
spell/train_spell.py.

    device = setup(cfg)                                   # seed, threads, out_dir, device
    stop = stop_on_signals()                              # SIGTERM / SIGINT end the loop early (optional)
    loop = Loop(model, opt, lr=..., lr_min=..., warmup_steps=..., grad_clip=..., budget_minutes=..., ...)
    for batch in loop.batches(lambda: make_batches(...)):   # sets each step's learning rate, stops at the budget
        loss = ...
        loop.update(loss)                                 # zero_grad, backward, clip, optimiser step, running loss
        if loop.eval_due(): ...; loop.evaluated()
    Checkpoints(out_dir).save(ck, metric)                 # ckpt.pt (atomic) and ckpt-best.pt (lowest metric)

The schedule: progress = max(budget used, steps of this run / max_steps) runs from 0 to 1 (the budget counts wall
time, or this process's CPU time where the machine is shared); the learning rate follows a cosine from lr to lr_min
over it, after a linear warm-up over the first warmup_steps steps. Each loop trains with the same numbers as its
flat version before this module did (same seed -> same batches, learning rates and losses).
"""
import math
import os
import signal
import time

import torch


def setup(cfg: dict) -> str:
    """Seeds torch, sets its CPU threads, makes out_dir -> the device: cfg's `device`, where `auto` is CUDA when
    there is one (a config without the key trains on the CPU)."""
    torch.manual_seed(cfg["seed"])
    torch.set_num_threads(cfg["threads"])
    os.makedirs(cfg["out_dir"], exist_ok=True)
    device = cfg.get("device", "cpu")
    return ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device


def stop_on_signals() -> list:
    """SIGTERM and SIGINT no longer kill the process: they append to the returned list, and a Loop given it stops
    at its next step (the script then evaluates and saves as at the end of the budget)."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    return stop


def cosine_lr(progress: float, step: int, lr: float, lr_min: float, warmup_steps: int) -> float:
    """The learning rate at `progress` (0-1) of the run and optimiser step `step`: a cosine from lr down to lr_min,
    scaled by a linear warm-up over the first warmup_steps steps (0: none)."""
    warm = min(1.0, (step + 1) / warmup_steps) if warmup_steps else 1.0
    return warm * (lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * min(1.0, progress))))


class Loop:
    """One run's clock, schedule, optimiser step and running loss.

    step0: the step a resumed run starts from (steps count on from it; max_steps counts this run's steps only).
    clock: "wall" (time.time) or "cpu" (time.process_time: this process's CPU time, for a machine that is shared).
    max_steps: None leaves the budget alone in charge. smoothing: the running loss's weight of each new loss.
    eval_minutes: wall minutes between eval_due() answers (None: never due).
    stop: the list from stop_on_signals(); the loop ends once it is not empty.
    """

    def __init__(self, model, opt, *, lr: float, lr_min: float, warmup_steps: int, grad_clip: float,
                 budget_minutes: float, max_steps=None, step0: int = 0, clock: str = "wall",
                 smoothing: float = 0.02, eval_minutes=None, stop=None):
        self.model, self.opt = model, opt
        self.lr0, self.lr_min, self.warmup_steps, self.grad_clip = lr, lr_min, warmup_steps, grad_clip
        self.budget = budget_minutes * 60
        self.max_steps, self.step0, self.step = max_steps, step0, step0
        self.clock = {"wall": time.time, "cpu": time.process_time}[clock]
        self.keep, self.smoothing = 1 - smoothing, smoothing
        self.eval_seconds = None if eval_minutes is None else eval_minutes * 60
        self.stop = stop if stop is not None else []
        self.run_loss, self.lr = None, None
        self.t0 = self.clock()
        self.last_eval = time.time()

    def elapsed(self) -> float:
        """Seconds of the budget's clock since the loop was made."""
        return self.clock() - self.t0

    def progress(self) -> float:
        p = self.elapsed() / self.budget
        return p if self.max_steps is None else max(p, (self.step - self.step0) / self.max_steps)

    def left(self, elapsed: float) -> float:
        """Seconds left: the budget's, or fewer where max_steps comes first at this run's pace."""
        if self.max_steps is None:
            return max(0.0, self.budget - elapsed)
        steps = self.step - self.step0
        return max(0.0, min(self.budget - elapsed, (self.max_steps - steps) * elapsed / max(1, steps)))

    def batches(self, epoch):
        """The batches of epoch() (called again at the start of every pass over the data), each with its step's
        learning rate set, until the budget is spent or a stop signal came. epoch() may also never end."""
        while True:
            for b in epoch():
                progress = self.progress()
                if progress >= 1.0 or self.stop:
                    return
                self.lr = cosine_lr(progress, self.step, self.lr0, self.lr_min, self.warmup_steps)
                for g in self.opt.param_groups:
                    g["lr"] = self.lr
                yield b

    def update(self, loss) -> None:
        """One optimiser step on `loss`: clears the gradients, back-propagates, clips their norm, steps; counts the
        step and folds the loss into the running loss."""
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.grad_clip)
        self.opt.step()
        self.step += 1
        v = loss.item()
        self.run_loss = v if self.run_loss is None else self.keep * self.run_loss + self.smoothing * v

    def eval_due(self) -> bool:
        return self.eval_seconds is not None and time.time() - self.last_eval > self.eval_seconds

    def evaluated(self) -> None:
        """Restarts the wait for the next eval_due() (call it when the evaluation is done)."""
        self.last_eval = time.time()


def save_atomic(obj, path: str) -> None:
    """torch.save through PATH.tmp and a rename: a run killed while saving leaves the previous file whole."""
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)


class Checkpoints:
    """OUT_DIR/ckpt.pt: the latest state (with the optimiser's, to resume); ckpt-best.pt, when save() is given a
    metric: the state with the lowest metric so far, without the optimiser state (a few MB, for export).
    snapshots=True also keeps every saved state as snap-STEP.pt (no optimiser state), for averaging the weights
    along a run (average.py) rather than picking one evaluation's."""

    def __init__(self, out_dir: str, snapshots: bool = False):
        self.out_dir = out_dir
        self.best = float("inf")
        self.snapshots = snapshots

    def save(self, ck: dict, metric=None) -> None:
        save_atomic(ck, os.path.join(self.out_dir, "ckpt.pt"))
        if self.snapshots:
            save_atomic(dict(ck, opt=None), os.path.join(self.out_dir, f"snap-{int(ck.get('step', 0)):07d}.pt"))
        if metric is not None and metric < self.best:   # NaN (no dev set) is never best
            self.best = metric
            save_atomic(dict(ck, opt=None), os.path.join(self.out_dir, "ckpt-best.pt"))
