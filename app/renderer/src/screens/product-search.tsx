// Search box (pinyin / Chinese / English). F2 focuses it; arrows move, Enter adds, Esc leaves.
import { forwardRef, useEffect, useRef, useState } from 'react';
import type { ProductView } from '../../../contract';
import { formatFen } from '../format';
import { useApp } from '../app-context';

export const ProductSearch = forwardRef<HTMLInputElement, { onPick: (p: ProductView) => void }>(function ProductSearch(
  { onPick },
  ref,
) {
  const { api, t, lang, showError } = useApp();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ProductView[]>([]);
  const [index, setIndex] = useState(0);
  const [searched, setSearched] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults([]);
      setSearched(false);
      return;
    }
    const my = ++seq.current;
    const timer = setTimeout(() => {
      api.call('catalog.search', { query: q, limit: 8 }).then(
        (r) => {
          if (my !== seq.current) return; // a newer query is on its way
          setResults(r.products);
          setIndex(0);
          setSearched(true);
        },
        (err: unknown) => {
          if (my === seq.current) showError(err);
        },
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [query, api, showError]);

  const pick = (p: ProductView | undefined) => {
    if (!p) return;
    setQuery('');
    setResults([]);
    onPick(p);
  };

  return (
    <div className="search">
      <input
        ref={ref}
        data-testid="search-input"
        type="search"
        placeholder={`${t('till.search')} [${t('till.searchKey')}]`}
        autoComplete="off"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(i + 1, results.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter' && results.length > 0) {
            e.preventDefault();
            pick(results[index]);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            setQuery('');
            e.currentTarget.blur();
          }
        }}
      />
      {results.length > 0 && (
        <ul className="results" data-testid="search-results" role="listbox">
          {results.map((p, i) => (
            <li key={p.sku} role="option" aria-selected={i === index}>
              <button
                type="button"
                className={i === index ? 'selected' : ''}
                data-testid="search-result"
                data-sku={p.sku}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(p)}
              >
                <span className="name">{lang === 'zh-CN' ? p.name : p.nameEn || p.name}</span>
                <span className="name2">{lang === 'zh-CN' ? p.nameEn : p.name}</span>
                <span className="price">
                  {formatFen(p.price)}
                  {p.unit === 'weighed' ? t('till.perKg') : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {searched && results.length === 0 && query.trim() && (
        <div className="results none" data-testid="search-none">
          {t('till.noResults')}
        </div>
      )}
    </div>
  );
});
