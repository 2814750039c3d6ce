// Back office → promotions: the PLU file for the store's label scales (电子秤 PLU). The manager
// picks the scale brand and downloads the file its PC software imports (大华 TMA/Link, 顶尖
// LinkPro); re-export after a price change (docs/barcodes.md, PLU export).
import { useState } from 'react';
import { PLU_SCALE_BRANDS, type PluScaleBrand } from '../../../contract';
import { useApp } from '../app-context';
import { downloadFile } from '../components/download-file';

export function PluExportForm() {
  const { api, t, showError, showInfo } = useApp();
  const [brand, setBrand] = useState<PluScaleBrand>('dahua');
  const exportFile = async () => {
    try {
      const { file, products } = await api.call('labels.pluExport', { brand });
      downloadFile(file);
      showInfo((tr) => tr('bo.plu.done', { n: String(products), file: file.fileName }));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <form
      className="markdown-form"
      data-testid="plu-export-form"
      onSubmit={(e) => {
        e.preventDefault();
        void exportFile();
      }}
    >
      <h3>{t('bo.plu.title')}</h3>
      <label>
        {t('bo.plu.brand')}
        <select
          data-testid="plu-brand"
          value={brand}
          onChange={(e) => setBrand(PLU_SCALE_BRANDS.find((b) => b === e.target.value) ?? 'dahua')}
        >
          {PLU_SCALE_BRANDS.map((b) => (
            <option key={b} value={b}>
              {t(`bo.plu.brand.${b}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="plu-export">
        {t('bo.plu.export')}
      </button>
    </form>
  );
}
