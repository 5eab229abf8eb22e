// French UI text of this part of the SPA (merged into fr.ts under the keys 'notifications' and
// 'notificationBell'). The notifications page (the daily digests) and the header's bell; the
// bell is part of the layout, so its section is a shell section (i18n/sections.ts).
const notifications = {
  title: 'Notifications',
  intro: 'Chaque matin, le récapitulatif de vos bons de travail en retard ou à échéance.',
  unreadOnly: 'Non lues seulement',
  markRead: 'Marquer comme lue',
  markAllRead: 'Tout marquer comme lu',
  marking: 'Enregistrement…',
  unread: 'Non lue',
  empty: 'Aucune notification.',
  emptyUnread: 'Aucune notification non lue.',
  loading: 'Chargement des notifications…',
  more: 'Afficher plus',
  retry: 'Réessayer',
  technicianTitle: 'Vos bons de travail du {day}',
  engineerTitle: 'Interventions réglementaires en retard du {day}',
  overdueCount: 'Aucun en retard | 1 en retard | {n} en retard',
  dueSoonCount: 'aucun à échéance sous {days} jours | 1 à échéance sous {days} jours | {n} à échéance sous {days} jours',
  overdue: 'En retard',
  dueSoon: 'À échéance',
  regulatory: 'Réglementaire',
  due: 'Échéance {date}',
  hidden: '… et 1 autre | … et {n} autres',
  certificateTitle: 'Vos certificats à renouveler ({day})',
  certificatesTeamTitle: 'Certificats de l’équipe à renouveler ({day})',
  certificateCount: 'Aucun certificat | 1 certificat arrive à échéance | {n} certificats arrivent à échéance',
  certificateExpired: 'Expiré',
  certificateExpiredOn: 'Expiré le {date}',
  certificateExpiresOn: 'Expire aujourd’hui ({date}) | Expire le {date}, dans 1 jour | Expire le {date}, dans {n} jours',
  open: 'Voir la liste',
  email: {
    not_sent: 'E-mail en attente',
    sent: 'Envoyé par e-mail',
    failed: 'E-mail non envoyé (nouvel essai au prochain envoi)',
    disabled: 'Dans l’application seulement',
  },
};

/** The bell of the layout's header (a shell section). */
export const notificationBell = {
  label: 'Notifications, aucune non lue | Notifications, 1 non lue | Notifications, {n} non lues',
};

export default notifications;
