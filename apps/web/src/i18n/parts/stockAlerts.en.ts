import type fr from './stockAlerts.fr.ts';

const stockAlerts: typeof fr = {
  title: 'Stock alerts',
  intro: 'Parts whose stock fell below the minimum.',
  listLabel: 'Parts below minimum',
  empty: 'No alerts: every part is above its minimum.',
  count: 'No alerts | 1 alert | {n} alerts',
  countAtLeast: '{n} alerts or more',
  store: 'Store',
  onHand: 'On hand {onHand} / minimum {minimum}',
  since: 'Since {date}',
  loading: 'Loading the alerts…',
  more: 'Show more',
  retry: 'Try again',
};

export default stockAlerts;
