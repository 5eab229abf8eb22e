// English UI text of this part of the SPA (merged into en.ts under the key 'transferBalance').
const transferBalance = {
  title: 'Transfers between sites: balance',
  intro: 'Value of the parts shipped from one site to another in the period, at the weighted average cost of the site that sent them: the basis of the cost allocation between sites.',
  from: 'From',
  to: 'To',
  invalidPeriod: 'Choose a period: the end date follows the start date.',
  none: 'No transfer shipped in this period.',
  given: 'gave {value}',
  received: 'received {value}',
  owed: 'balance in its favour: {value}',
  owes: 'owes: {value}',
  pairs: 'Per pair of sites',
  pairDetail: 'no transfer | 1 transfer, {quantity} part(s), {value} | {n} transfers, {quantity} parts, {value}',
  lost: 'lost on the way: {value}',
};
export default transferBalance;
