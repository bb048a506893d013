/**
 * The offline tokenizers traces are counted in, by name. Kept apart from tokenize.ts, which loads their
 * vocabularies (~0.1 s): code that only names a tokenizer (generating a trace from the shipped length
 * tables, validating a scenario) does not pay for loading one.
 */
export type TokenizerName = 'llama' | 'llama3';
export const TOKENIZERS: readonly TokenizerName[] = ['llama', 'llama3'];

/** Package and version of each tokenizer (recorded in the provenance of derived tables). */
export const TOKENIZER_PACKAGES: Record<TokenizerName, string> = {
  llama: 'llama-tokenizer-js@1.2.2',
  llama3: 'llama3-tokenizer-js@1.2.0',
};
