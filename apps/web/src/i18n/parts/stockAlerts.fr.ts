// French UI text of this part of the SPA (merged into fr.ts under the key 'stockAlerts').
// The below-minimum stock alerts panel (StockAlertsPanel: the home page, the stock page).
const stockAlerts = {
  title: 'Alertes de stock',
  intro: 'Pièces dont le stock est passé sous le seuil minimum.',
  listLabel: 'Pièces sous le seuil minimum',
  empty: 'Aucune alerte : toutes les pièces sont au-dessus de leur seuil minimum.',
  count: 'Aucune alerte | 1 alerte | {n} alertes',
  countAtLeast: '{n} alertes ou plus',
  store: 'Magasin',
  onHand: 'En stock {onHand} / minimum {minimum}',
  since: 'Depuis le {date}',
  loading: 'Chargement des alertes…',
  more: 'Afficher plus',
  retry: 'Réessayer',
};

export default stockAlerts;
