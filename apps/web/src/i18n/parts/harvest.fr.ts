// French UI text of this part of the SPA (merged into fr.ts under the key 'harvest').
const harvest = {
  title: 'Pièces récupérées',
  intro: 'Cet équipement a été réformé pour récupération de pièces : les pièces démontées entrent dans un magasin de son site, un transfert les envoie ensuite ailleurs.',
  none: 'Aucune pièce récupérée pour l’instant.',
  by: 'par {name}, {at}',
  unknownPart: 'Pièce inconnue',
  open: 'Enregistrer des pièces récupérées',
  store: 'Magasin qui les reçoit',
  search: 'Chercher une pièce du catalogue',
  searchHint: 'Sans recherche, les pièces compatibles avec le modèle de l’équipement sont proposées.',
  noChoice: 'Aucune pièce à proposer : cherchez-la par sa référence ou sa description.',
  quantity: 'Quantité',
  cost: 'Valeur unitaire (€)',
  costHint: 'Sans valeur, les pièces comptent au coût moyen du magasin ; une valeur (0 € compris) le fait évoluer.',
  costInvalid: 'Montant en euros, deux décimales au plus (ex. 12,50).',
  remove: 'Retirer',
  note: 'Remarque',
  noLine: 'Ajoutez au moins une pièce.',
  submit: 'Enregistrer l’entrée en stock',
  recorded: 'Aucune pièce enregistrée. | 1 pièce entrée en stock. | {n} pièces entrées en stock.',
};
export default harvest;
