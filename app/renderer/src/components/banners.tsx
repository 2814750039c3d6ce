// The error and info banners under the header, drawn the same way on the till and on the phone
// counting page (the state lives in use-banners.ts).
import type { Translate } from '../i18n';
import type { ShownError } from './error-text';

export function Banners(props: { error: ShownError | null; info: string | null; onDismiss: () => void; t: Translate }) {
  const { error, info, onDismiss, t } = props;
  return (
    <>
      {error && (
        <div className="error-banner" role="alert" data-testid="error-banner" data-code={error.code}>
          <span className="code">{error.code}</span>
          <span className="message" data-testid="error-message">
            {error.message}
          </span>
          <button type="button" data-testid="error-dismiss" onClick={onDismiss}>
            {t('dismiss')}
          </button>
        </div>
      )}
      {info && (
        <div className="info-banner" role="status" data-testid="info-banner">
          {info}
        </div>
      )}
    </>
  );
}
