/**
 * The engine's entry for model-loading threads and processes (the CLI's model-loader worker): reading packages
 * from disk, timing the RNN backends, building a lexicon's prefix tree, and nothing else. A thread that
 * imports the whole entry (index.ts) also loads meyda, rxjs, the decoders and the export formats it never
 * uses: the CLI's backend-timing child process peaked ~20 MB higher that way. node/index.ts re-exports all of this.
 */
export { loadModelPackage } from '../../../models/package/load-package';
export type { LoadedPackage } from '../../../models/package/load-package';
export { nodeSource } from '../../../models/package/node-source';
export type { BackendName } from '../../../models/rnn/backend';
export { chooseBackend } from '../../../models/rnn/choose-backend';
export type { BackendTiming } from '../../../models/rnn/choose-backend';
export type { Tensor } from '../../../models/rnn/tensor';
export { buildLexiconTrie, LexiconTrie } from '../decoding/lexicon-trie';
export type { BuiltLexicon, LexiconTrieData } from '../decoding/lexicon-trie';
