/**
 * Token counts in the vocabulary of the model's tokenizer, offline. LLaMA-1/2, Vicuna and Orca-mini share
 * the LLaMA sentencepiece vocabulary (llama-tokenizer-js); Llama 3 has its own BPE vocabulary
 * (llama3-tokenizer-js). Both packages ship their vocabularies, so nothing is downloaded.
 *
 * The Llama 3 package takes ~0.4 s to load its baked vocabulary, so it is required on first use only (its
 * CommonJS bundle keeps this API synchronous); the LLaMA one loads in <0.1 s and is imported normally.
 */
import { createRequire } from 'node:module';
import llamaTokenizer from 'llama-tokenizer-js';
import type { TokenizerName } from './tokenizer-names.ts';

interface Llama3Encoder {
  encode(text: string, options?: { bos?: boolean; eos?: boolean }): number[];
}

let llama3: Llama3Encoder | null = null;
function llama3Tokenizer(): Llama3Encoder {
  if (!llama3) {
    const require = createRequire(import.meta.url);
    const mod = require('llama3-tokenizer-js/bundle/commonjs-llama3-tokenizer-with-baked-data.cjs') as {
      llama3Tokenizer: Llama3Encoder;
    };
    llama3 = mod.llama3Tokenizer;
  }
  return llama3;
}

/**
 * Number of tokens of `text`. With `bos`, the beginning-of-sequence token a prompt starts with is counted;
 * no end-of-sequence token is ever added (prompts are continued, not closed).
 */
export function countTokens(text: string, tokenizer: TokenizerName, opts: { bos: boolean }): number {
  if (tokenizer === 'llama') return llamaTokenizer.encode(text, opts.bos, true).length;
  return llama3Tokenizer().encode(text, { bos: opts.bos, eos: false }).length;
}
