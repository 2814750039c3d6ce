// Shifts: open, cash in/out, X report, Z close with blind count.
export {
  currentShift,
  openShift,
  ensureShiftInTx,
  cashMovement,
  xReport,
  closeShift,
  recordCashInTx,
} from './shift-service';
