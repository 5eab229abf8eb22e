// French UI text of this part of the SPA (merged into fr.ts under the key 'transferBalance').
const transferBalance = {
  title: 'Bilan des transferts entre sites',
  intro: 'Valeur des pièces expédiées d’un site à l’autre sur la période, au coût moyen pondéré du site qui les a envoyées : la base de la répartition des coûts entre sites.',
  from: 'Du',
  to: 'Au',
  invalidPeriod: 'Choisissez une période : la date de fin suit la date de début.',
  none: 'Aucun transfert expédié sur cette période.',
  given: 'a fourni {value}',
  received: 'a reçu {value}',
  owed: 'solde en sa faveur : {value}',
  owes: 'doit : {value}',
  pairs: 'Par paire de sites',
  pairDetail: 'aucun transfert | 1 transfert, {quantity} pièce(s), {value} | {n} transferts, {quantity} pièces, {value}',
  lost: 'perdu en route : {value}',
};
export default transferBalance;
