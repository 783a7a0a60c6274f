import { DiagnosticPing } from './diagnostic-ping.entity';

export { DiagnosticPing };

export const entities = [DiagnosticPing];
