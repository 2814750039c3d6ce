// Demo catalog of a small Chinese fresh-food store (鲜丰社区生鲜 Fresh Corner): names in
// zh-CN and English, prices in fen (per item, or per kg for weighed items).
// Rows: [zh name, English name, price fen]. Categories carry unit and tax class.

export interface DemoCategory { id: string; zh: string; en: string; taxClass: string; unit: 'each' | 'weighed'; items: [string, string, number][] }

export const DEMO_CATEGORIES: DemoCategory[] = [
  { id: 'fruit', zh: '水果', en: 'Fruit', taxClass: 'food-9', unit: 'each', items: [
    ['红富士苹果 4个装', 'Fuji Apples 4-pack', 1290], ['香蕉 一把', 'Bananas Bunch', 890], ['赣南脐橙 6个装', 'Gannan Navel Oranges 6-pack', 1990],
    ['阳光玫瑰葡萄 500g', 'Shine Muscat Grapes 500g', 2990], ['海南小台农芒果 1kg', 'Hainan Mini Mangoes 1kg', 1590], ['奇异果 6个装', 'Kiwi Fruit 6-pack', 1890],
    ['草莓 盒装 300g', 'Strawberries 300g Box', 2490], ['蓝莓 125g', 'Blueberries 125g', 1590], ['麒麟西瓜 半个', 'Kirin Watermelon Half', 1690],
    ['砂糖橘 1kg', 'Shatang Mandarins 1kg', 1290], ['红心火龙果 2个装', 'Red Dragon Fruit 2-pack', 1590], ['鸭梨 4个装', 'Ya Pears 4-pack', 990],
    ['车厘子 250g', 'Cherries 250g', 3990], ['菠萝 1个', 'Pineapple', 1290], ['牛油果 2个装', 'Avocados 2-pack', 1690],
    ['山竹 500g', 'Mangosteen 500g', 2590], ['哈密瓜 1个', 'Hami Melon', 1990], ['柠檬 3个装', 'Lemons 3-pack', 690],
  ] },
  { id: 'veg', zh: '蔬菜', en: 'Vegetables', taxClass: 'food-9', unit: 'each', items: [
    ['上海青 300g', 'Shanghai Bok Choy 300g', 350], ['西兰花 1颗', 'Broccoli Head', 490], ['番茄 500g', 'Tomatoes 500g', 590],
    ['黄瓜 3根装', 'Cucumbers 3-pack', 450], ['胡萝卜 500g', 'Carrots 500g', 390], ['土豆 1kg', 'Potatoes 1kg', 590],
    ['洋葱 2个装', 'Onions 2-pack', 350], ['大白菜 半颗', 'Napa Cabbage Half', 390], ['菠菜 250g', 'Spinach 250g', 390],
    ['生菜 1颗', 'Lettuce Head', 350], ['青椒 300g', 'Green Peppers 300g', 450], ['茄子 2根装', 'Aubergines 2-pack', 490],
    ['香菇 200g', 'Shiitake Mushrooms 200g', 690], ['金针菇 200g', 'Enoki Mushrooms 200g', 290], ['姜 200g', 'Ginger 200g', 390],
    ['大蒜 3头装', 'Garlic 3 Bulbs', 450], ['玉米 2根装', 'Sweet Corn 2-pack', 590], ['山药 500g', 'Chinese Yam 500g', 890],
  ] },
  { id: 'meat', zh: '肉禽蛋', en: 'Meat, Poultry & Eggs', taxClass: 'food-9', unit: 'each', items: [
    ['土鸡蛋 10枚', 'Free-range Eggs 10', 1590], ['鲜鸡蛋 30枚', 'Fresh Eggs 30', 2690], ['冷鲜鸡胸肉 500g', 'Chilled Chicken Breast 500g', 1590],
    ['鸡翅中 500g', 'Chicken Wings 500g', 2990], ['精品五花肉 500g', 'Pork Belly 500g', 2690], ['猪肋排 500g', 'Pork Spare Ribs 500g', 3290],
    ['牛腩 500g', 'Beef Brisket 500g', 4990], ['澳洲牛排 200g', 'Australian Steak 200g', 3990], ['羊肉卷 400g', 'Lamb Rolls 400g', 3690],
    ['猪肉馅 400g', 'Minced Pork 400g', 1990], ['鸭腿 2只装', 'Duck Legs 2-pack', 1890], ['鹌鹑蛋 20枚', 'Quail Eggs 20', 990],
    ['咸鸭蛋 6枚', 'Salted Duck Eggs 6', 1290], ['培根 200g', 'Bacon 200g', 1890], ['台湾烤肠 500g', 'Taiwanese Sausages 500g', 2290],
  ] },
  { id: 'seafood', zh: '水产', en: 'Seafood', taxClass: 'food-9', unit: 'each', items: [
    ['冷冻虾仁 300g', 'Frozen Peeled Shrimp 300g', 3590], ['三文鱼刺身 200g', 'Salmon Sashimi 200g', 4990], ['带鱼段 500g', 'Hairtail Pieces 500g', 2990],
    ['巴沙鱼柳 400g', 'Basa Fillet 400g', 1990], ['鱿鱼圈 300g', 'Squid Rings 300g', 2290], ['扇贝肉 250g', 'Scallop Meat 250g', 3290],
    ['海带结 500g', 'Kelp Knots 500g', 890], ['鳕鱼块 300g', 'Cod Pieces 300g', 5990],
  ] },
  { id: 'dairy', zh: '乳品', en: 'Dairy', taxClass: 'food-9', unit: 'each', items: [
    ['有机牛奶 1L', 'Organic Milk 1L', 1850], ['纯牛奶 250ml×12', 'Whole Milk 250ml x12', 5990], ['鲜牛奶 950ml', 'Fresh Milk 950ml', 1390],
    ['低脂牛奶 1L', 'Low-fat Milk 1L', 1290], ['原味酸奶 100g×8', 'Plain Yogurt 100g x8', 2190], ['希腊酸奶 400g', 'Greek Yogurt 400g', 2490],
    ['草莓酸奶 200g', 'Strawberry Yogurt 200g', 690], ['黄油 200g', 'Butter 200g', 2990], ['马苏里拉芝士 250g', 'Mozzarella 250g', 3290],
    ['芝士片 12片', 'Cheese Slices 12', 2690], ['淡奶油 250ml', 'Whipping Cream 250ml', 1990], ['豆浆 1L', 'Soy Milk 1L', 690],
    ['燕麦奶 1L', 'Oat Milk 1L', 1990], ['乳酸菌饮品 100ml×5', 'Probiotic Drink 100ml x5', 1190], ['儿童成长奶 190ml×12', 'Kids Growth Milk 190ml x12', 5490],
  ] },
  { id: 'bakery', zh: '烘焙', en: 'Bakery', taxClass: 'food-9', unit: 'each', items: [
    ['全麦吐司', 'Wholemeal Toast Loaf', 1290], ['牛奶吐司', 'Milk Toast Loaf', 1090], ['法式长棍面包', 'French Baguette', 890],
    ['牛角包', 'Croissant', 690], ['肉松面包', 'Pork Floss Bun', 590], ['红豆面包', 'Red Bean Bun', 490],
    ['蛋挞 4个装', 'Egg Tarts 4-pack', 1690], ['瑞士卷', 'Swiss Roll', 1290], ['菠萝包', 'Pineapple Bun', 490],
    ['手撕面包 400g', 'Pull-apart Bread 400g', 1590], ['月饼 礼盒', 'Mooncake Gift Box', 12800], ['馒头 6个装', 'Steamed Buns 6-pack', 690],
  ] },
  { id: 'snacks', zh: '休闲零食', en: 'Snacks', taxClass: 'std-13', unit: 'each', items: [
    ['原味薯片 70g', 'Salted Potato Chips 70g', 750], ['黄瓜味薯片 70g', 'Cucumber Potato Chips 70g', 750], ['奥利奥饼干 116g', 'Oreo Cookies 116g', 890],
    ['苏打饼干 400g', 'Soda Crackers 400g', 1290], ['每日坚果 25g×7', 'Daily Nuts 25g x7', 4990], ['开心果 200g', 'Pistachios 200g', 3590],
    ['牛肉干 100g', 'Beef Jerky 100g', 2990], ['辣条 106g', 'Spicy Gluten Strips 106g', 450], ['巧克力 80g', 'Chocolate Bar 80g', 1290],
    ['德芙丝滑牛奶巧克力', 'Dove Milk Chocolate', 990], ['大白兔奶糖 227g', 'White Rabbit Candy 227g', 1690], ['瓜子 260g', 'Sunflower Seeds 260g', 1090],
    ['海苔 4g×10', 'Seaweed Snack 4g x10', 1590], ['果冻 6个装', 'Fruit Jelly 6-pack', 890], ['虾条 80g', 'Prawn Crackers 80g', 590],
    ['旺旺雪饼 84g', 'Want Want Rice Crackers 84g', 690], ['锅巴 100g', 'Crispy Rice 100g', 490], ['蛋黄酥 6个装', 'Egg Yolk Pastry 6-pack', 2990],
  ] },
  { id: 'drinks', zh: '饮料', en: 'Drinks', taxClass: 'std-13', unit: 'each', items: [
    ['可口可乐 330ml', 'Coca-Cola 330ml', 350], ['可口可乐 2L', 'Coca-Cola 2L', 890], ['雪碧 330ml', 'Sprite 330ml', 350],
    ['农夫山泉 550ml', 'Nongfu Spring Water 550ml', 200], ['农夫山泉 4L', 'Nongfu Spring Water 4L', 990], ['矿泉水 550ml×24', 'Mineral Water 550ml x24', 2990],
    ['东方树叶 绿茶 500ml', 'Oriental Leaf Green Tea 500ml', 500], ['康师傅冰红茶 500ml', 'Master Kong Iced Tea 500ml', 350], ['王老吉 310ml', 'Wanglaoji Herbal Tea 310ml', 450],
    ['椰汁 245ml', 'Coconut Milk Drink 245ml', 450], ['橙汁 1L', 'Orange Juice 1L', 1590], ['元气森林气泡水 480ml', 'Genki Forest Sparkling Water 480ml', 550],
    ['红牛 250ml', 'Red Bull 250ml', 650], ['青岛啤酒 500ml', 'Tsingtao Beer 500ml', 690], ['雪花啤酒 500ml×12', 'Snow Beer 500ml x12', 4590],
    ['咖啡 拿铁 280ml', 'Latte Coffee 280ml', 790], ['酸梅汤 500ml', 'Sour Plum Drink 500ml', 450], ['豆奶 250ml×6', 'Soy Drink 250ml x6', 1590],
  ] },
  { id: 'grain', zh: '米面粮油', en: 'Rice, Flour & Oil', taxClass: 'food-9', unit: 'each', items: [
    ['五常大米 5kg', 'Wuchang Rice 5kg', 6990], ['东北大米 10kg', 'Northeast Rice 10kg', 7990], ['泰国香米 5kg', 'Thai Jasmine Rice 5kg', 5990],
    ['高筋面粉 2.5kg', 'Bread Flour 2.5kg', 2290], ['挂面 1kg', 'Dried Noodles 1kg', 990], ['鲜切面 500g', 'Fresh Noodles 500g', 490],
    ['花生油 5L', 'Peanut Oil 5L', 12990], ['菜籽油 5L', 'Rapeseed Oil 5L', 8990], ['橄榄油 500ml', 'Olive Oil 500ml', 5990],
    ['玉米油 1.8L', 'Corn Oil 1.8L', 2990], ['小米 1kg', 'Millet 1kg', 1590], ['燕麦片 1kg', 'Rolled Oats 1kg', 2290],
    ['红豆 500g', 'Red Beans 500g', 1090], ['糯米 1kg', 'Glutinous Rice 1kg', 1290], ['方便面 5连包', 'Instant Noodles 5-pack', 1290],
  ] },
  { id: 'condiments', zh: '调味品', en: 'Condiments', taxClass: 'food-9', unit: 'each', items: [
    ['生抽 500ml', 'Light Soy Sauce 500ml', 990], ['老抽 500ml', 'Dark Soy Sauce 500ml', 1090], ['香醋 500ml', 'Black Vinegar 500ml', 890],
    ['蚝油 510g', 'Oyster Sauce 510g', 1190], ['食盐 400g', 'Salt 400g', 250], ['白砂糖 500g', 'White Sugar 500g', 650],
    ['郫县豆瓣酱 500g', 'Pixian Chili Bean Paste 500g', 1290], ['老干妈 280g', 'Lao Gan Ma Chili Crisp 280g', 1190], ['芝麻油 220ml', 'Sesame Oil 220ml', 1590],
    ['火锅底料 400g', 'Hot Pot Base 400g', 2690], ['鸡精 200g', 'Chicken Powder 200g', 890], ['番茄酱 320g', 'Ketchup 320g', 990],
  ] },
  { id: 'frozen', zh: '冷冻食品', en: 'Frozen', taxClass: 'food-9', unit: 'each', items: [
    ['三全猪肉水饺 1kg', 'Pork Dumplings 1kg', 2590], ['思念汤圆 500g', 'Sweet Rice Balls 500g', 1590], ['速冻玉米粒 500g', 'Frozen Sweet Corn 500g', 890],
    ['手抓饼 10片', 'Scallion Pancakes 10', 2290], ['小笼包 480g', 'Xiaolongbao 480g', 2690], ['冰淇淋 香草 4支', 'Vanilla Ice Cream 4', 1990],
    ['雪糕 绿豆 6支', 'Mung Bean Ice Bars 6', 1290], ['速冻薯条 1kg', 'Frozen Fries 1kg', 2490], ['鱼丸 500g', 'Fish Balls 500g', 1890],
    ['牛肉丸 500g', 'Beef Balls 500g', 3290], ['冷冻披萨 350g', 'Frozen Pizza 350g', 3590], ['速冻馄饨 500g', 'Wontons 500g', 1990],
  ] },
  { id: 'household', zh: '日用百货', en: 'Household', taxClass: 'std-13', unit: 'each', items: [
    ['抽纸 3层 100抽×6', 'Facial Tissue 100 x6', 2290], ['卷纸 10卷', 'Toilet Rolls 10', 3290], ['洗洁精 1.5kg', 'Dish Soap 1.5kg', 1690],
    ['洗衣液 3kg', 'Laundry Liquid 3kg', 4990], ['保鲜袋 100只', 'Food Bags 100', 990], ['垃圾袋 50只', 'Bin Bags 50', 890],
    ['购物袋 大', 'Shopping Bag Large', 30], ['购物袋 小', 'Shopping Bag Small', 20], ['湿巾 80片', 'Wet Wipes 80', 1290],
    ['牙膏 120g', 'Toothpaste 120g', 1590], ['电池 AA 4节', 'AA Batteries 4', 1990],
  ] },
  { id: 'weighed-produce', zh: '散装称重', en: 'Loose, by Weight', taxClass: 'food-9', unit: 'weighed', items: [
    ['散装香蕉', 'Loose Bananas', 698], ['散装苹果', 'Loose Apples', 1198], ['散装西红柿', 'Loose Tomatoes', 798], ['散装土豆', 'Loose Potatoes', 398],
    ['散装黄瓜', 'Loose Cucumbers', 598], ['散装橙子', 'Loose Oranges', 998], ['散装葡萄', 'Loose Grapes', 1598], ['散装西瓜', 'Loose Watermelon', 298],
    ['散装大米', 'Loose Rice', 698], ['散装红枣', 'Loose Red Dates', 3998], ['散装核桃', 'Loose Walnuts', 4598], ['散装花生', 'Loose Peanuts', 1998],
  ] },
  { id: 'weighed-deli', zh: '熟食鲜肉称重', en: 'Deli & Butcher, by Weight', taxClass: 'food-9', unit: 'weighed', items: [
    ['猪里脊', 'Pork Tenderloin', 3998], ['精品牛肉', 'Lean Beef', 8998], ['整鸡', 'Whole Chicken', 2598], ['鲜活鲈鱼', 'Live Sea Bass', 5998],
    ['卤牛肉', 'Braised Beef', 11998], ['烤鸭', 'Roast Duck', 6998], ['叉烧', 'Char Siu Pork', 7998], ['白切鸡', 'Poached Chicken', 5598],
  ] },
];
