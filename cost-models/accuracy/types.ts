/** Contracts of the accuracy layer: expected probability of a correct answer for a configuration. */

/** One point query of an accuracy surface. */
export interface AccuracyQuery {
  /** Method key: 'elastilm', 'llm-pruner', 'layer-reduction', 'laco', 'shortgpt', 'attn-drop', 'lingua2-cs', 'pfs', 'full'. */
  method: string;
  /** Model id: the elastic LLM, or for PFS the small model actually run (e.g. 'opt-1.3b'). */
  model: string;
  /** Dataset name as in traces: 'OBQA', 'ARC_E', 'octopus', 'llamatouch', 'PIQA', 'SCIQ'. */
  dataset: string;
  /** Nominal model level on the method's own axis (0.2..1.0; 1 for fixed models). */
  modelRatio: number;
  /** Prompt ratio kept (0.1..1.0). */
  promptRatio: number;
}

export interface AccuracySurface {
  /** Expected probability of a correct answer, in [chance, full-model accuracy]. Throws on unknown keys. */
  quality(q: AccuracyQuery): number;
  /** Provenance blocks of the surfaces this object answers from (copied into run summaries). */
  provenance(): Array<Record<string, unknown>>;
}
