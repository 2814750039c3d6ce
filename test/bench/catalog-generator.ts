// Deterministic catalog of realistic Chinese food-retail product names for search benchmarks
// (brand + modifier + product + pack size, with English names and EAN-13 barcodes).
import { gs1CheckDigit } from '../../app/core/barcode';
import type { SearchableProduct } from '../../app/core/search';

/** mulberry32: small seeded PRNG so every run builds the same catalog. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BRANDS: [string, string][] = [
  ['伊利', 'Yili'], ['蒙牛', 'Mengniu'], ['光明', 'Bright'], ['农夫山泉', 'Nongfu'], ['康师傅', 'Master Kong'],
  ['统一', 'Uni-President'], ['金龙鱼', 'Arawana'], ['福临门', 'Fortune'], ['海天', 'Haday'], ['李锦记', 'Lee Kum Kee'],
  ['三只松鼠', 'Three Squirrels'], ['良品铺子', 'Bestore'], ['双汇', 'Shuanghui'], ['思念', 'Synear'], ['三全', 'Sanquan'],
  ['五常', 'Wuchang'], ['君乐宝', 'Junlebao'], ['卫龙', 'Weilong'], ['旺旺', 'Want Want'], ['达利园', 'Daliyuan'],
  ['盒马', 'Hema'], ['永辉', 'Yonghui'], ['百草味', 'Be&Cheery'], ['雀巢', 'Nestle'], ['', ''],
];
export const MODIFIERS: [string, string][] = [
  ['有机', 'Organic'], ['进口', 'Imported'], ['新鲜', 'Fresh'], ['冷冻', 'Frozen'], ['精选', 'Select'], ['特级', 'Premium'],
  ['低脂', 'Low-fat'], ['无糖', 'Sugar-free'], ['散装', 'Bulk'], ['家庭装', 'Family Pack'], ['原味', 'Original'], ['全脂', 'Whole'],
  ['脱脂', 'Skimmed'], ['手工', 'Handmade'], ['东北', 'Northeast'], ['云南', 'Yunnan'], ['', ''],
];
export const PRODUCTS: [string, string][] = [
  ['牛奶', 'Milk'], ['纯牛奶', 'Pure Milk'], ['酸奶', 'Yogurt'], ['苹果', 'Apple'], ['红富士苹果', 'Fuji Apple'], ['大米', 'Rice'],
  ['鸡蛋', 'Eggs'], ['面包', 'Bread'], ['香蕉', 'Banana'], ['猪肉', 'Pork'], ['牛肉', 'Beef'], ['鸡胸肉', 'Chicken Breast'],
  ['三文鱼', 'Salmon'], ['大虾', 'Prawns'], ['白菜', 'Napa Cabbage'], ['西红柿', 'Tomato'], ['土豆', 'Potato'], ['黄瓜', 'Cucumber'],
  ['橙子', 'Orange'], ['葡萄', 'Grapes'], ['草莓', 'Strawberry'], ['西瓜', 'Watermelon'], ['挂面', 'Noodles'], ['水饺', 'Dumplings'],
  ['汤圆', 'Tangyuan'], ['食用油', 'Cooking Oil'], ['花生油', 'Peanut Oil'], ['酱油', 'Soy Sauce'], ['香醋', 'Vinegar'], ['白糖', 'Sugar'],
  ['绿茶', 'Green Tea'], ['咖啡', 'Coffee'], ['可乐', 'Cola'], ['矿泉水', 'Mineral Water'], ['饼干', 'Biscuits'], ['薯片', 'Potato Chips'],
  ['巧克力', 'Chocolate'], ['火腿肠', 'Ham Sausage'], ['豆腐', 'Tofu'], ['面粉', 'Flour'], ['小米', 'Millet'], ['绿豆', 'Mung Beans'],
  ['红枣', 'Red Dates'], ['核桃', 'Walnuts'], ['方便面', 'Instant Noodles'], ['辣条', 'Spicy Strips'], ['月饼', 'Mooncake'], ['粽子', 'Zongzi'],
];
export const SIZES = ['250ml', '500ml', '1L', '1.5L', '200g', '500g', '1kg', '2.5kg', '5kg', '10kg', '12枚', '6瓶装', '24罐', '20包', '', ''];

export function generateCatalog(count: number, seed = 20261129): SearchableProduct[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: SearchableProduct[] = [];
  for (let i = 0; i < count; i++) {
    const [bz, be] = pick(BRANDS);
    const [mz, me] = pick(MODIFIERS);
    const [pz, pe] = pick(PRODUCTS);
    const size = pick(SIZES);
    const body = `69${String(Math.floor(rnd() * 1e10)).padStart(10, '0')}`;
    out.push({
      sku: `SKU${String(i).padStart(6, '0')}`,
      name: `${bz}${mz}${pz}${size}`,
      nameEn: [be, me, pe, size].filter(Boolean).join(' '),
      barcodes: [body + gs1CheckDigit(body)],
    });
  }
  return out;
}
