export { GradientStats, type LayerGradientStats, meanStd, deadFraction } from './gradient_stats.js';
export {
  GradientMonitor,
  NON_FINITE_DIRECTIONS,
  type GradientMonitorOptions,
  type LayerMonitorStats,
  type NonFiniteDirection,
  type NonFiniteEvent,
} from './gradient_monitor.js';
export { type Diagnosis, type DiagnoseOptions, type LayerDiagnosis, diagnoseModel } from './diagnose.js';
export {
  DEAD_FRACTION_LIMIT,
  EXPLODING_RATIO,
  SATURATION_LIMIT,
  VANISHING_RATIO,
  VERDICT_KINDS,
  CLI_PHRASING,
  type FixPhrasing,
  type Verdict,
  type VerdictKind,
  type VerdictLayer,
  judge,
} from './verdict.js';
export { activationSecondMoment, theoryVarianceRatio, weightSecondMoment, type LayerTheoryInput } from './theory.js';
export {
  SIGMOID_SATURATION_HIGH,
  SIGMOID_SATURATION_LOW,
  TANH_SATURATION,
  firstNonFinite,
  l2Norm,
  saturatedFraction,
  secondMoment,
} from './layer_statistics.js';
export { type DiagnosisReportInput, type Snapshot, buildDiagnosisReport } from './report.js';
export { type ArchitectureGraph, architectureOf, architectureHtml } from './architecture.js';
export { type MergeDiagnosis } from './diagnose.js';
export { type ModelStructure, PLAIN_DEEP_LAYERS } from './verdict.js';
