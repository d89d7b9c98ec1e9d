"""Phoneme error rate of a CTC model's greedy output: the best unit per step, repeats merged, blanks (unit 0)
dropped, and the edit distance to the reference units."""


def ctc_greedy(best_units) -> list:
    """The argmax unit per step -> the unit sequence CTC reads from it."""
    seq, prev = [], 0
    for u in best_units:
        if u != prev and u != 0:
            seq.append(u)
        prev = u
    return seq


def edit_distance(a, b) -> int:
    """Levenshtein distance between two sequences (substitutions, insertions, deletions all cost 1)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
