export { createSimulator, type Simulator } from './create-simulator.js';
export {
  FAULT_KINDS,
  faultsSchema,
  simulatedModelSchema,
  setFaultsBodySchema,
  type FaultKind,
  type Faults,
  type ModelStats,
  type SimulatedModel,
  type SimulatorOptions,
} from './simulator-options.js';
