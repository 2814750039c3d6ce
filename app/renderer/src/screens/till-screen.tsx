// The till: cart, totals, search, numpad entry and the function keys of a sale
// (F2 search, F4/* quantity, Del/F5 remove, F6 discount, F7 park, F8 recall, F9 void, F12/+/End pay,
// Alt+O no-sale drawer, Alt+M member by phone, Shift+Alt+M remove the member, Alt+F face lookup). Loose items are weighed on the scale, or typed in when there is none.
import { useRef, useState } from 'react';
import type { PaymentResult } from '../../../contract';
import { useApp } from '../app-context';
import { Dialog } from '../components/dialog';
import { usePrompt } from '../components/prompt';
import { useReasonPicker } from '../components/reason-picker';
import { formatFen } from '../format';
import { CartView } from './cart-view';
import { MemberPanel, useMemberActions } from './member-panel';
import { ProductSearch } from './product-search';
import { PaymentDialog } from './payment-dialog';
import { ReceiptDialog } from './receipt-dialog';
import { FaceDialog } from './face-dialog';
import { useCartActions } from './use-cart-actions';
import { useTillCart } from './use-till-cart';
import { useTillKeys } from './use-till-keys';
import { useWeighing } from './use-weighing';

export function TillScreen() {
  const { t } = useApp();
  const till = useTillCart();
  const { cart, selected, setSelected } = till;
  const [entry, setEntry] = useState('');
  const [paid, setPaid] = useState<PaymentResult | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [ask, promptEl] = usePrompt();
  const [pickReason, reasonEl] = useReasonPicker();
  const { weighGrams, weighDialog } = useWeighing(ask);
  const actions = useCartActions({ till, ask, pickReason, weighGrams, entry, setEntry });
  const {
    addProduct,
    setQuantity,
    remove,
    discount,
    park,
    openRecall,
    recall,
    voidSale,
    openDrawer,
    pay,
    paying,
    setPaying,
    parked,
    setParked,
  } = actions;
  const [balanceVersion, setBalanceVersion] = useState(0);
  const member = useMemberActions({
    till,
    ask,
    entry,
    setEntry,
    balanceChanged: () => setBalanceVersion((v) => v + 1),
  });
  const [faceOpen, setFaceOpen] = useState(false);
  useTillKeys({
    actions,
    member,
    moveSelection: till.moveSelection,
    entry,
    setEntry,
    searchRef,
    onFace: () => setFaceOpen(true),
  });

  return (
    <div className="till">
      <section className="till-left">
        <CartView
          cart={cart}
          selected={selected}
          onSelect={setSelected}
          onRemoveCoupon={() => void actions.removeCoupon()}
        />
      </section>
      <section className="till-right">
        <MemberPanel
          memberId={cart?.member?.id ?? null}
          onFind={() => void member.find()}
          onTopUp={() => void member.topUp()}
          version={`${cart?.updatedAt ?? ''}-${balanceVersion}`}
        />
        <ProductSearch
          ref={searchRef}
          onPick={(p) => {
            // Back to the cart: the next "3 *" is a quantity, not a search (issue 13 item 7).
            searchRef.current?.blur();
            void addProduct(p, entry && /^\d+$/.test(entry) ? Number(entry) : undefined).then(() => setEntry(''));
          }}
        />
        <div className="entry" data-testid="numpad-entry">
          <span>{t('till.entry')}</span>
          <b>{entry}</b>
        </div>
        {actions.queuedScans.length > 0 && (
          <div className="scan-queue" role="status" data-testid="scan-queue" data-count={actions.queuedScans.length}>
            <span>{t('till.scansQueued', { n: actions.queuedScans.length })}</span>
            <button type="button" data-testid="scan-queue-discard" onClick={actions.discardQueuedScans}>
              {t('till.scansDiscard')}
            </button>
          </div>
        )}
        <div className="totals">
          <div>
            <span>{t('till.subtotal')}</span>
            <span data-testid="cart-subtotal">{formatFen(cart?.subtotal ?? 0)}</span>
          </div>
          <div>
            <span>{t('till.discount')}</span>
            <span data-testid="cart-discount">
              {cart && cart.discount > 0 ? `-${formatFen(cart.discount)}` : formatFen(0)}
            </span>
          </div>
          <div className="items">
            <span>{t(cart?.itemCount === 1 ? 'till.item' : 'till.items', { n: cart?.itemCount ?? 0 })}</span>
          </div>
          <div className="total">
            <span>{t('till.total')}</span>
            <span data-testid="cart-total">{formatFen(cart?.total ?? 0)}</span>
          </div>
        </div>
        <div className="actions">
          <button type="button" data-testid="qty-button" onClick={() => void setQuantity()}>
            {t('till.qty')}
          </button>
          <button type="button" data-testid="remove-button" onClick={() => void remove()}>
            {t('till.remove')}
          </button>
          <button type="button" data-testid="discount-button" onClick={() => void discount()}>
            {t('till.lineDiscount')}
          </button>
          <button type="button" data-testid="park-button" onClick={() => void park()}>
            {t('till.park')}
          </button>
          <button type="button" data-testid="recall-button" onClick={() => void openRecall()}>
            {t('till.recall')}
          </button>
          <button type="button" data-testid="void-button" onClick={() => void voidSale()}>
            {t('till.void')}
          </button>
          <button type="button" data-testid="drawer-button" onClick={() => void openDrawer()}>
            {t('drawer.button')}
          </button>
          <button type="button" data-testid="face-button" onClick={() => setFaceOpen(true)}>
            {t.lang === 'zh-CN' ? '刷脸（Alt+F）' : 'Face (Alt+F)'}
          </button>
        </div>
        <button type="button" className="primary pay" data-testid="pay-button" onClick={() => void pay()}>
          {t('till.pay')}
        </button>
      </section>
      {parked && (
        <Dialog
          title={t('recall.title')}
          testid="recall-dialog"
          onCancel={() => setParked(null)}
          onKey={(k) => {
            const n = Number(k);
            const c = parked[n - 1];
            if (c) {
              void recall(c.parkedId);
              return true;
            }
            return false;
          }}
        >
          {parked.length === 0 && <p>{t('recall.none')}</p>}
          <ol className="pick-list">
            {parked.map((c, i) => (
              <li key={c.parkedId}>
                <button type="button" data-testid="parked-cart" onClick={() => void recall(c.parkedId)}>
                  <span>
                    {i + 1}. {c.label}
                  </span>
                  {c.cashierName && (
                    <span data-testid="parked-cashier">{t('recall.cashier', { name: c.cashierName })}</span>
                  )}
                  <span>{t(c.itemCount === 1 ? 'till.item' : 'till.items', { n: c.itemCount })}</span>
                  <span>{formatFen(c.total)}</span>
                </button>
              </li>
            ))}
          </ol>
          <div className="buttons">
            <button type="button" onClick={() => setParked(null)}>
              {t('cancel')}
            </button>
          </div>
        </Dialog>
      )}
      {paying && cart && (
        <PaymentDialog
          cart={cart}
          onCancel={() => setPaying(false)}
          onPaid={(r) => {
            setPaying(false);
            setPaid(r);
          }}
        />
      )}
      {paid && (
        <ReceiptDialog
          result={paid}
          onNext={() => {
            setPaid(null);
            setSelected(null);
            void till.refresh();
          }}
        />
      )}
      {faceOpen && (
        <FaceDialog
          onClose={() => setFaceOpen(false)}
          onConfirmed={(c) => {
            setFaceOpen(false);
            void member.attach(c.memberId);
          }}
        />
      )}
      {weighDialog}
      {reasonEl}
      {promptEl}
    </div>
  );
}
