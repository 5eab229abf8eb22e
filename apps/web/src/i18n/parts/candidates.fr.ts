// French UI text of this part of the SPA (merged into fr.ts under the key 'candidates').
// The ranked candidates of a work order's assignment panel (components/work-order/CandidatesPanel.vue)
// and the expiring-certificate notice of the home page (components/competency/CertificateNotice.vue), issue 14.
const candidates = {
  title: 'Qui envoyer ?',
  intro: 'Techniciens et ingénieurs du territoire classés pour ce bon : compétence et niveau, certificat, site puis charge.',
  requirement: 'Compétence requise : {requirement}',
  requirementShort: '{skill} — {level} minimum',
  noRequirement: 'Aucune compétence requise connue',
  source: {
    plan: 'd’après le plan de maintenance',
    model: 'd’après le modèle de l’équipement',
    category: 'd’après la catégorie de l’équipement',
    none: '',
  },
  // Lowercase, inside a sentence.
  levels: { beginner: 'débutant', confirmed: 'confirmé', expert: 'expert' },
  proposed: 'proposé',
  proposedTitle: 'Niveau proposé par la personne, pas encore validé',
  noSkill: 'sans cette compétence',
  recommended: 'Recommandé',
  sameSite: 'même site',
  distance: 'à {km} km',
  distanceUnknown: 'distance inconnue',
  certificate: {
    valid: 'Certificat valide',
    validUntil: 'Certificat valide jusqu’au {date}',
    expired: 'Certificat expiré le {date}',
    none: 'Aucun certificat',
  },
  openHours: '{hours} h de travail ouvert',
  noOpenWork: 'Aucun travail ouvert',
  reasons: 'Pourquoi ce rang',
  filter: 'Filtrer par nom ou site',
  filterPlaceholder: 'Nom ou site…',
  loading: 'Chargement des candidats…',
  empty: 'Aucun technicien ni ingénieur actif dans le territoire.',
  noMatch: 'Personne ne correspond à ce filtre.',
  more: 'Voir plus ({n} de plus)',
  shown: '{shown} sur {total}',
  assign: 'Affecter',
  assignTo: 'Affecter {name}',
  assigned: 'déjà affecté',
  retry: 'Réessayer',
  byName: 'Chercher par nom',
  list: 'Candidats classés',
  confirm: {
    title: 'Compétence manquante',
    text: '{name} n’a pas la compétence requise ({requirement}). Affecter quand même ?',
    missing: 'Ne possède pas cette compétence.',
    level: 'Niveau actuel : {level}.',
    levelProposed: 'Niveau actuel : {level}, proposé et pas encore validé.',
    yes: 'Affecter quand même',
  },
  // The home page's notice.
  notice: {
    title: 'Certificats à renouveler',
    team: 'Aucun certificat expiré ou expirant sous {days} jours | 1 certificat expiré ou expirant sous {days} jours | {n} certificats expirés ou expirant sous {days} jours',
    own: 'Aucun de vos certificats n’expire sous {days} jours | 1 de vos certificats est expiré ou expire sous {days} jours | {n} de vos certificats sont expirés ou expirent sous {days} jours',
    expired: 'expiré',
    expiredOn: 'le {date}',
    expiresOn: 'expire le {date}',
    andMore: 'et {n} autre(s)',
    coverage: 'Voir la couverture des compétences',
    mySheet: 'Voir ma fiche de compétences',
  },
};

export default candidates;
