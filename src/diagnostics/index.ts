export { GradientStats, type LayerGradientStats, meanStd, deadFraction } from './gradient_stats.js';
