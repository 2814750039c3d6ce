// Shifts: open, cash in/out, X report, Z close with blind count, cashier change (交接班).
export {
  currentShift,
  openShift,
  ensureShiftInTx,
  cashMovement,
  xReport,
  closeShift,
  recordCashInTx,
} from './shift-service';
export { handOverShift } from './shift-handover';
