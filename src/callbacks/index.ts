export { Callback, type Logs, type StepInfo, type CallbackModel } from './callback.js';
export { History } from './history.js';
