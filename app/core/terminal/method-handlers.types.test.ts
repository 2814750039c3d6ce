// Type-level test of the handler map: `tsc` (run by `npm test` before vitest) compiles this file,
// and each `@ts-expect-error` below is itself an error if the line after it compiles. So if the
// handler table ever goes back to hand-written (or `never`) input types, a handler that kept an
// old input shape after a schema change would compile again, and `tsc` fails here.
import { describe, expectTypeOf, it } from 'vitest';
import type { Cart, MethodOutput, MethodParams, ProductView } from '../../contract';
import type { CallContext, Handler, HandlerTable } from './method-handlers';

declare const product: ProductView;
declare const cart: Cart;

// (The handlers below are never called: compiling them is the test, hence the `_` names.)
// What a handler written before a schema change looks like: `catalog.get` takes `{ sku }`.
// @ts-expect-error the schema produces `{ sku: string }`, not `{ barcode: string }`
const _staleInput: Handler<'catalog.get'> = (i: { barcode: string }) => ({ product: { ...product, sku: i.barcode } });

// A handler that answers a different shape than the contract promises.
// @ts-expect-error `cart.park` answers `{ parkedId, cart }`
const _wrongOutput: Handler<'cart.park'> = () => ({ parkedId: 'P1' });

// A field the schema does not have is not there to read.
const _missingField: Handler<'cart.remove'> = (i) => {
  // @ts-expect-error `cart.remove` takes `{ lineId }` only
  void i.sku;
  return { cart };
};

describe('typed handler map', () => {
  it('gives each handler the parsed input of its schema and the contract output', () => {
    expectTypeOf<MethodParams<'catalog.get'>>().toEqualTypeOf<{ sku: string }>();
    expectTypeOf<MethodParams<'cart.void'>>().toEqualTypeOf<{
      reason: string;
      reasonCode?: string | undefined;
      managerPin?: string | undefined;
      managerId?: string | undefined;
    }>();
    expectTypeOf<Parameters<HandlerTable['cart.scan']>>().toEqualTypeOf<[{ code: string }, CallContext]>();
    expectTypeOf<Awaited<ReturnType<HandlerTable['auth.whoami']>>>().toEqualTypeOf<MethodOutput<'auth.whoami'>>();
  });
});
