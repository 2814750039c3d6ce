// What the customer-facing screens show (app/till builds it, the /display/ page and the second
// Electron window render it): shared here so the browser code never imports the Node-side feed.
import type { Currency, Unit } from './types';

export interface CustomerDisplayLine {
  name: string;
  nameEn: string;
  unit: Unit;
  /** Items; 1 for weighed lines. */
  quantity: number;
  weightGrams: number | null;
  /** Fen per item, or per kg for weighed lines. */
  unitPrice: number;
  /** Fen, after the line's discount. */
  total: number;
  /** Fen before promotions and discounts (shown struck through when the line saved something). */
  originalPrice?: number;
  /** Names of what took money off the line (会员价, 晚间打折 …), in both languages. */
  discounts?: { name: string; nameEn: string; amount: number }[];
  /** Fen saved on the line. */
  saved?: number;
}

export interface CustomerDisplayState {
  status: 'idle' | 'cart' | 'paid';
  storeName: string;
  /** The line the cashier just scanned or changed (null when idle or paid). */
  lastLine: CustomerDisplayLine | null;
  itemCount: number;
  /** Fen the customer saved on the whole cart so far (cart state only). */
  saved?: number;
  /** Fen: amount due while selling; what was paid (after cash rounding) once paid. */
  total: number;
  currency: Currency;
  /** Paid state only: what the customer handed over and the change given back (fen). */
  tendered?: number;
  change?: number;
  /** Paid state only, when the store has one set (config `wecomQrUrl`). */
  wecomQrUrl: string | null;
  /** The same QR as an SVG document (rendered here with `qrcode`), for an <img> data URL. */
  wecomQrSvg: string | null;
  updatedAt: string;
  /** The sale's member: only the masked name and points (cart: balance when attached; paid: balance after the sale and points earned). */
  member?: { maskedName: string | null; points: number; pointsEarned?: number } | null;
  /** Increases with every new state; clients ignore older ones. */
  seq: number;
}
