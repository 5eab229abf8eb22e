// English UI text of this part of the SPA (merged into en.ts under the key 'harvest').
const harvest = {
  title: 'Harvested parts',
  intro: 'This device was decommissioned for parts harvesting: the parts taken from it go into a store of its site, and a transfer sends them elsewhere.',
  none: 'No part harvested yet.',
  by: 'by {name}, {at}',
  unknownPart: 'Unknown part',
  open: 'Record harvested parts',
  store: 'Receiving store',
  search: 'Search the part catalogue',
  searchHint: 'Without a search, the parts that fit the device’s model are offered.',
  noChoice: 'No part to offer: search for it by reference or description.',
  quantity: 'Quantity',
  cost: 'Unit value (€)',
  costHint: 'Without a value, the parts count at the store’s average cost; a value (€0 included) moves it.',
  costInvalid: 'An amount in euros, two decimals at most (e.g. 12.50).',
  remove: 'Remove',
  note: 'Note',
  noLine: 'Add at least one part.',
  submit: 'Record the stock entry',
  recorded: 'No part recorded. | 1 part added to the stock. | {n} parts added to the stock.',
};
export default harvest;
