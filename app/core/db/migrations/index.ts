// The ordered list of the terminal's migrations; add a new file and list it here.
import type { Migration } from '../migrate';
import { migration0001 } from './0001-initial-schema';
import { migration0002 } from './0002-immutable-facts';
import { migration0003 } from './0003-product-pinyin';
import { migration0004 } from './0004-payment-intents';
import { migration0005 } from './0005-cart-discount-approval';
import { migration0006 } from './0006-payment-attempts';
import { migration0007 } from './0007-members';
import { migration0008 } from './0008-price-rules';
import { migration0010 } from './0010-stock-work';
import { migration0011 } from './0011-staff-pin-reset';
import { migration0013 } from './0013-face-templates';
import { migration0014 } from './0014-replenishment';
import { migration0015 } from './0015-stored-value';
import { migration0017 } from './0017-coupons';
import { migration0018 } from './0018-replenishment-signals';
import { migration0019 } from './0019-shift-handovers';
import { migration0020 } from './0020-order-refunds';
import { migration0021 } from './0021-report-rollups';
import { migration0022 } from './0022-transfers';
import { migration0024 } from './0024-member-visits';
import { migration0026 } from './0026-order-refund-desk';
import { migration0029 } from './0029-store-purchase-orders';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0010,
  migration0011,
  migration0013,
  migration0014,
  migration0015,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
  migration0024,
  migration0026,
  migration0029,
];
