/**
 * Spellings interned without one JS object per word: all characters in one buffer, an offset per
 * word id, and an open-addressing hash index (linear probing) over the ids.
 *
 * CMUdict's 133k spellings as a string[] plus a Map<string, number> cost ~10 MB of small heap
 * objects, and building them made V8 grow its young generation (every string and map entry
 * survives); here they are ~1 MB of characters and ~2 MB of typed arrays, allocated a few times.
 *
 *   const b = new WordTableBuilder();
 *   b.intern('there');      // 0 (new)
 *   b.intern('there');      // 0 (known)
 *   const t = b.freeze();   // immutable, compact copy; the builder can go on
 *   t.word(0);              // 'there' (made on first use, then cached)
 *   t.id('there');          // 0; -1 when absent
 *
 * Ids are dense, in order of first interning. Words are compared code unit by code unit (no case
 * folding or normalization: callers intern what they mean).
 */

/** FNV-1a over UTF-16 code units of s[begin, end). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hashChars(chars: Uint16Array, begin: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = begin; i < end; i++) h = Math.imul(h ^ chars[i], 0x01000193);
  return h >>> 0;
}

/** Smallest power of two ≥ 2·n (load factor ≤ 0.5), at least 16. */
function slotsFor(n: number): number {
  let size = 16;
  while (size < 2 * n) size *= 2;
  return size;
}

export class WordTableBuilder {
  private chars: Uint16Array<ArrayBuffer>;
  private used = 0;
  /** starts[id] .. starts[id + 1]: the word's characters. */
  private starts: Int32Array<ArrayBuffer>;
  private count = 0;
  private slots: Int32Array<ArrayBuffer>;

  /** @param expectedWords sizes the buffers up front (they grow past it when needed) */
  constructor(expectedWords = 2048) {
    const n = Math.max(16, Math.ceil(expectedWords));
    this.chars = new Uint16Array(8 * n);
    this.starts = new Int32Array(n + 1);
    this.slots = new Int32Array(slotsFor(n)).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  /** The id of `word`, or -1. */
  find(word: string): number {
    const mask = this.slots.length - 1;
    for (let i = hashString(word) & mask; ; i = (i + 1) & mask) {
      const id = this.slots[i];
      if (id < 0 || this.equals(id, word)) return id;
    }
  }

  /** The id of `word`, adding it when new. */
  intern(word: string): number {
    const mask = this.slots.length - 1;
    let i = hashString(word) & mask;
    for (; ; i = (i + 1) & mask) {
      const id = this.slots[i];
      if (id < 0) break;
      if (this.equals(id, word)) return id;
    }
    const id = this.count++;
    if (this.count + 1 > this.starts.length) this.starts = growInt32(this.starts, this.count + 1);
    if (this.used + word.length > this.chars.length) {
      const grown = new Uint16Array(Math.max(2 * this.chars.length, this.used + word.length));
      grown.set(this.chars.subarray(0, this.used));
      this.chars = grown;
    }
    for (let c = 0; c < word.length; c++) this.chars[this.used + c] = word.charCodeAt(c);
    this.used += word.length;
    this.starts[id + 1] = this.used;
    this.slots[i] = id;
    if (2 * this.count > this.slots.length) this.rehash(this.slots.length * 2);
    return id;
  }

  /** An immutable compact copy (the builder stays usable). */
  freeze(): WordTable {
    // one string for all spellings: made in chunks (String.fromCharCode takes arguments)
    const parts: string[] = [];
    for (let at = 0; at < this.used; at += 8192) {
      parts.push(String.fromCharCode(...this.chars.subarray(at, Math.min(this.used, at + 8192))));
    }
    // an index sized for the words there are (the builder's may have been sized for more)
    const slots = new Int32Array(slotsFor(this.count)).fill(-1);
    this.fillSlots(slots);
    return new WordTable(parts.join(''), this.starts.slice(0, this.count + 1), slots);
  }

  private equals(id: number, word: string): boolean {
    const b = this.starts[id];
    const e = this.starts[id + 1];
    if (e - b !== word.length) return false;
    for (let c = 0; c < word.length; c++) if (this.chars[b + c] !== word.charCodeAt(c)) return false;
    return true;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    this.fillSlots(slots);
    this.slots = slots;
  }

  /** Puts every id into `slots` (all -1, a power of two larger than the word count). */
  private fillSlots(slots: Int32Array): void {
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let i = hashChars(this.chars, this.starts[id], this.starts[id + 1]) & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = id;
    }
  }
}

/** A WordTable as plain data (structured-clonable; the typed arrays transferable). */
export interface WordTableData {
  text: string;
  starts: Int32Array;
  slots: Int32Array;
}

export class WordTable {
  /** Strings made so far by word(), by id (a holey array: one pointer per word). */
  private readonly made: (string | undefined)[];

  /** @internal use WordTableBuilder.freeze() or WordTable.fromData() */
  constructor(
    private readonly text: string,
    private readonly starts: Int32Array,
    private readonly slots: Int32Array,
  ) {
    this.made = new Array<string | undefined>(starts.length - 1);
  }

  /** The table's own arrays (not copies): transferring them to another thread empties this table. */
  toData(): WordTableData {
    return { text: this.text, starts: this.starts, slots: this.slots };
  }

  /** A table from toData()'s output (e.g. received from a worker); throws on inconsistent data. */
  static fromData(data: WordTableData): WordTable {
    const { text, starts, slots } = data;
    const n = starts.length - 1;
    const bad = (why: string): never => {
      throw new Error(`WordTable.fromData: ${why}`);
    };
    if (n < 0 || starts[0] !== 0 || starts[n] !== text.length) bad('the word offsets do not span the text');
    if (slots.length < 16 || (slots.length & (slots.length - 1)) !== 0 || slots.length <= n)
      bad('the index is not a power of two larger than the word count');
    return new WordTable(text, starts, slots);
  }

  get size(): number {
    return this.starts.length - 1;
  }

  /** The spelling of word `id` (0 ≤ id < size). */
  word(id: number): string {
    let w = this.made[id];
    if (w === undefined) {
      if (!(id >= 0 && id < this.size)) throw new RangeError(`word id ${id} is outside 0..${this.size - 1}`);
      w = this.text.slice(this.starts[id], this.starts[id + 1]);
      this.made[id] = w;
    }
    return w;
  }

  /** The id of `word`, or -1. */
  id(word: string): number {
    const mask = this.slots.length - 1;
    for (let i = hashString(word) & mask; ; i = (i + 1) & mask) {
      const id = this.slots[i];
      if (id < 0) return -1;
      const b = this.starts[id];
      if (this.starts[id + 1] - b !== word.length) continue;
      let c = 0;
      while (c < word.length && this.text.charCodeAt(b + c) === word.charCodeAt(c)) c++;
      if (c === word.length) return id;
    }
  }

  /** Bytes of the typed arrays and the characters (1 byte each for Latin-1 text, else 2). */
  get byteSize(): number {
    let wide = false;
    for (let i = 0; i < this.text.length && !wide; i++) wide = this.text.charCodeAt(i) > 255;
    return this.starts.byteLength + this.slots.byteLength + this.text.length * (wide ? 2 : 1);
  }
}

function growInt32(a: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(2 * a.length, atLeast));
  b.set(a);
  return b;
}
