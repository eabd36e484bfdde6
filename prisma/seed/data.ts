// The demo catalog: believable Nairobi luxury sellers, categories and pieces.
// Prices are whole KES here; the seed stores minor units.

export interface SeedCategory {
  slug: string;
  name: string;
  description: string;
  /** Base pieces: [title, description, priceKES]. Each appears in a few finishes. */
  items: [string, string, number][];
  finishes: string[];
}

export const CATEGORIES: SeedCategory[] = [
  {
    slug: 'jewellery',
    name: 'Jewellery',
    description: 'Gold, silver, brass and beadwork by Nairobi goldsmiths and Maasai artisans.',
    finishes: ['18k Gold', 'Sterling Silver', 'Recycled Brass'],
    items: [
      [
        'Maasai Collar Necklace',
        'A hand-beaded collar inspired by Maasai ceremonial dress, finished with a hidden clasp.',
        38000,
      ],
      [
        'Tanzanite Drop Earrings',
        'Ethically sourced tanzanite from the Merelani Hills, set in a slim teardrop frame.',
        64000,
      ],
      ['Lamu Hoop Earrings', 'Hammered hoops after the Swahili silversmiths of Lamu Old Town.', 14500],
      ['Kikoi Stacking Ring', 'A fine band engraved with the stripe pattern of a coastal kikoi.', 9800],
      ['Malachite Pendant', 'Polished malachite on a fine chain; every stone carries its own banding.', 21000],
      ['Cowrie Charm Bracelet', 'Cast cowrie shells on a chain bracelet, a nod to the old coastal trade.', 17500],
      ['Baobab Signet Ring', 'A signet ring with a baobab carved in relief.', 26000],
    ],
  },
  {
    slug: 'fashion',
    name: 'Fashion',
    description: 'Tailoring, kitenge and silk from Nairobi designers.',
    finishes: ['Indigo', 'Saffron', 'Ivory'],
    items: [
      ['Kitenge Wrap Dress', 'A wrap dress in wax-print cotton, cut and sewn in Kilimani.', 12500],
      ['Silk Kaftan', 'A flowing kaftan in mulberry silk, hand-finished seams.', 28000],
      ['Tailored Linen Blazer', 'An unstructured linen blazer made for Nairobi afternoons.', 19500],
      ['Shuka Wool Scarf', 'A soft wool scarf woven in the checks of the Maasai shuka.', 6800],
      ['Kikoi Beach Trousers', 'Relaxed drawstring trousers in handwoven kikoi cotton.', 7900],
      ['Embroidered Evening Clutch', 'A structured clutch with Swahili-inspired embroidery.', 11000],
      ['Mudcloth Bomber Jacket', 'A bomber in mudcloth-print canvas, lined in silk.', 24000],
    ],
  },
  {
    slug: 'art',
    name: 'Art',
    description: 'Original paintings, prints and sculpture by Kenyan artists.',
    finishes: ['Original', 'Limited Edition', 'Large Format'],
    items: [
      ['Savannah at Dusk', 'Acrylic on canvas: the Athi plains as the light goes gold.', 85000],
      ['Nairobi Skyline Study', 'Mixed media on paper, the city from Upper Hill.', 42000],
      ['Soapstone Lovers', 'Kisii soapstone carved and polished by hand.', 18500],
      ['Matatu Dreams', 'A bold print celebrating Nairobi matatu art.', 15000],
      ['Lake Turkana Blues', 'Oil on linen: the jade sea at midday.', 120000],
      ['Ebony Elephant Family', 'A trio of elephants carved from sustainably sourced wood.', 32000],
      ['Kanga Abstract No. 7', 'Abstract composition built from kanga border motifs.', 56000],
    ],
  },
  {
    slug: 'home-decor',
    name: 'Home & Decor',
    description: 'Ceramics, textiles and lighting for a Nairobi home.',
    finishes: ['Terracotta', 'Charcoal', 'Sand'],
    items: [
      ['Hand-thrown Ceramic Vase', 'Wheel-thrown stoneware with a satin glaze.', 9500],
      ['Sisal Woven Basket', 'A kiondo basket woven in sisal with leather handles.', 5200],
      ['Brass Pendant Lamp', 'A spun brass shade that throws warm, patterned light.', 23000],
      ['Mvule Serving Board', 'A serving board cut from reclaimed mvule hardwood.', 6400],
      ['Kuba Cloth Cushion', 'A cushion cover in raffia-embroidered Kuba cloth.', 7200],
      ['Recycled Glass Carafe', 'Mouth-blown from recycled bottles at a Nairobi glassworks.', 4800],
      ['Lamu Carved Mirror', 'A mirror framed in carved Lamu-style hardwood.', 34000],
    ],
  },
  {
    slug: 'leather-goods',
    name: 'Leather Goods',
    description: 'Full-grain leather bags, belts and small goods, cut in Karen.',
    finishes: ['Cognac', 'Black', 'Tan'],
    items: [
      ['Weekender Duffel', 'A full-grain leather duffel with brass hardware.', 42000],
      ['Safari Messenger Bag', 'A messenger bag built for long days, with a padded sleeve.', 26500],
      ['Beaded Leather Belt', 'A belt with a panel of Maasai beadwork.', 8200],
      ['Card Holder', 'A slim card holder, hand-stitched with waxed thread.', 3500],
      ['Structured Tote', 'A structured tote that keeps its shape, lined in kikoi.', 21000],
      ['Passport Wallet', 'A travel wallet for passport, cards and boarding pass.', 6500],
      ['Sandals with Beaded Strap', 'Leather sandals with a hand-beaded strap.', 7800],
    ],
  },
  {
    slug: 'beauty',
    name: 'Beauty',
    description: 'Oils, balms and fragrance made with East African botanicals.',
    finishes: ['Baobab', 'Moringa', 'Shea'],
    items: [
      ['Face Oil', 'A cold-pressed face oil for dry highland air.', 3900],
      ['Body Butter', 'A rich body butter whipped in small batches.', 2800],
      ['Eau de Parfum', 'A fragrance of vetiver, black tea and frangipani.', 12500],
      ['Lip Balm Trio', 'Three balms in recyclable tins.', 1500],
      ['Hair Serum', 'A lightweight serum for curls and coils.', 3200],
      ['Scented Candle', 'A hand-poured soy candle in a ceramic vessel.', 4500],
      ['Bath Soak', 'Magadi soda salts with botanicals.', 2400],
    ],
  },
  {
    slug: 'coffee-tea',
    name: 'Coffee & Tea',
    description: 'Single-estate coffee and tea from the Kenyan highlands.',
    finishes: ['250 g', '500 g', '1 kg'],
    items: [
      ['Kirinyaga AA Coffee', 'Bright blackcurrant and citrus from the slopes of Mount Kenya.', 1800],
      ['Nyeri Peaberry Coffee', 'Sweet and winey peaberry from Nyeri cooperatives.', 2100],
      ['Kericho Gold Black Tea', 'Full-bodied highland black tea, hand-sorted.', 950],
      ['Purple Tea', "Kenya's antioxidant-rich purple tea leaves.", 1600],
      ['Espresso Blend', 'A chocolate-forward blend roasted in Nairobi.', 1700],
      ['Masala Chai Blend', 'Black tea with ginger, cardamom and cinnamon.', 1100],
      ['Ruiru Estate Coffee', 'A balanced estate coffee with caramel notes.', 1900],
    ],
  },
  {
    slug: 'safari-outdoor',
    name: 'Safari & Outdoor',
    description: 'Gear for the bush, the beach and the road north.',
    finishes: ['Khaki', 'Olive', 'Stone'],
    items: [
      ['Canvas Safari Hat', 'A waxed canvas hat with a leather band.', 5600],
      ['Field Binoculars 10x42', 'Waterproof binoculars for game drives and birding.', 38000],
      ['Safari Shirt', 'A breathable cotton shirt with vented back.', 6900],
      ['Canvas Camp Chair', 'A folding camp chair in hardwood and canvas.', 14500],
      ['Kikoi Travel Blanket', 'A light blanket for cool evenings in the Mara.', 5900],
      ['Leather Water Flask Cover', 'A stitched leather cover for a steel flask.', 4200],
      ['Rhino Conservation Print Tee', 'Organic cotton tee; part of each sale supports rhino rangers.', 3200],
    ],
  },
];

export interface SeedSeller {
  email: string;
  name: string;
  storeName: string;
  handle: string;
  location: string;
  phone: string;
  description: string;
  /** Categories this seller makes. */
  categories: string[];
}

export const SELLERS: SeedSeller[] = [
  {
    email: 'amani@demo.soko.africa',
    name: 'Amani Wanjiru',
    storeName: 'Amani Gold Atelier',
    handle: 'amani-gold',
    location: 'Westlands',
    phone: '+254711000101',
    description: 'Fine jewellery cast and set by hand in our Westlands studio.',
    categories: ['jewellery'],
  },
  {
    email: 'karen.leather@demo.soko.africa',
    name: 'Otieno Ochieng',
    storeName: 'Karen Leatherworks',
    handle: 'karen-leatherworks',
    location: 'Karen',
    phone: '+254711000102',
    description: 'Full-grain leather, cut and stitched at the edge of the forest in Karen.',
    categories: ['leather-goods'],
  },
  {
    email: 'kilimani@demo.soko.africa',
    name: 'Achieng Odhiambo',
    storeName: 'Kilimani Couture',
    handle: 'kilimani-couture',
    location: 'Kilimani',
    phone: '+254711000103',
    description: 'Ready-to-wear and made-to-measure from a small Kilimani atelier.',
    categories: ['fashion'],
  },
  {
    email: 'lavington.art@demo.soko.africa',
    name: 'Kamau Njoroge',
    storeName: 'Lavington Art House',
    handle: 'lavington-art',
    location: 'Lavington',
    phone: '+254711000104',
    description: 'A gallery for emerging and established Kenyan painters and sculptors.',
    categories: ['art'],
  },
  {
    email: 'gigiri.home@demo.soko.africa',
    name: 'Fatuma Hassan',
    storeName: 'Gigiri Home Studio',
    handle: 'gigiri-home',
    location: 'Gigiri',
    phone: '+254711000105',
    description: 'Objects for the home, made with Kenyan materials and makers.',
    categories: ['home-decor'],
  },
  {
    email: 'runda@demo.soko.africa',
    name: 'Wambui Kariuki',
    storeName: 'Runda Botanicals',
    handle: 'runda-botanicals',
    location: 'Runda',
    phone: '+254711000106',
    description: 'Small-batch skincare from baobab, moringa and shea.',
    categories: ['beauty'],
  },
  {
    email: 'highlands@demo.soko.africa',
    name: 'Mwangi Gathoni',
    storeName: 'Highlands Coffee Co.',
    handle: 'highlands-coffee',
    location: 'Muthaiga',
    phone: '+254711000107',
    description: 'Roasted weekly in Nairobi from beans we buy direct from cooperatives.',
    categories: ['coffee-tea'],
  },
  {
    email: 'mara@demo.soko.africa',
    name: 'Saitoti Ole Nkoitiko',
    storeName: 'Mara Outfitters',
    handle: 'mara-outfitters',
    location: 'Langata',
    phone: '+254711000108',
    description: 'Field-tested safari gear from guides who use it.',
    categories: ['safari-outdoor'],
  },
  {
    email: 'zawadi@demo.soko.africa',
    name: 'Naserian Sankale',
    storeName: 'Zawadi Beadworks',
    handle: 'zawadi-beadworks',
    location: 'Spring Valley',
    phone: '+254711000109',
    description: 'Beadwork by a collective of Maasai women artisans.',
    categories: ['jewellery', 'fashion'],
  },
  {
    email: 'nyumba@demo.soko.africa',
    name: 'Joseph Mutua',
    storeName: 'Nyumba Ceramics',
    handle: 'nyumba-ceramics',
    location: 'Loresho',
    phone: '+254711000110',
    description: 'Stoneware thrown, glazed and fired in Loresho.',
    categories: ['home-decor', 'art'],
  },
  {
    email: 'savannah.silk@demo.soko.africa',
    name: 'Zuri Akinyi',
    storeName: 'Savannah Silk',
    handle: 'savannah-silk',
    location: 'Kileleshwa',
    phone: '+254711000111',
    description: 'Silk and linen clothing with a savannah palette.',
    categories: ['fashion', 'beauty'],
  },
  {
    email: 'tausi@demo.soko.africa',
    name: 'Halima Abdi',
    storeName: 'Tausi Fragrance',
    handle: 'tausi-fragrance',
    location: 'Parklands',
    phone: '+254711000112',
    description: 'Perfume and candles composed in Parklands.',
    categories: ['beauty', 'home-decor'],
  },
  {
    email: 'kifaru@demo.soko.africa',
    name: 'Brian Kiprop',
    storeName: 'Kifaru Canvas',
    handle: 'kifaru-canvas',
    location: 'Kitisuru',
    phone: '+254711000113',
    description: 'Prints and canvas goods; part of every sale funds rhino rangers.',
    categories: ['art', 'safari-outdoor'],
  },
  {
    email: 'chai@demo.soko.africa',
    name: 'Grace Chebet',
    storeName: 'Chai & Co.',
    handle: 'chai-and-co',
    location: 'Hurlingham',
    phone: '+254711000114',
    description: 'Highland teas and chai blends from Kericho and Nandi.',
    categories: ['coffee-tea', 'leather-goods'],
  },
];

export const BUYERS = [
  { email: 'wanjiku@demo.soko.africa', name: 'Wanjiku Mwangi' },
  { email: 'david@demo.soko.africa', name: 'David Kimani' },
  { email: 'aisha@demo.soko.africa', name: 'Aisha Mohamed' },
  { email: 'peter@demo.soko.africa', name: 'Peter Otieno' },
  { email: 'lucy@demo.soko.africa', name: 'Lucy Njeri' },
];

export const ADMIN = { email: 'admin@demo.soko.africa', name: 'Soko Admin' };

export const REVIEW_LINES: [number, string][] = [
  [5, 'Beautiful work, even better in person. Delivered to Westlands the next day.'],
  [5, 'Exceptional quality. You can tell it was made by hand.'],
  [4, 'Lovely piece; packaging could be a little sturdier.'],
  [5, 'Bought as a gift and it was a hit. Will order again.'],
  [4, 'Great quality for the price. Delivery took two days.'],
  [3, 'Nice, but the colour was slightly different from the photos.'],
  [5, 'The seller answered all my questions on WhatsApp. Superb.'],
  [4, 'Very happy with it.'],
];
