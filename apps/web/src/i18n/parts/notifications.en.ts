// English UI text of this part of the SPA (merged into en.ts under the keys 'notifications' and
// 'notificationBell'); same keys as notifications.fr.ts.
const notifications = {
  title: 'Notifications',
  intro: 'Every morning, the digest of your work orders overdue or due soon.',
  unreadOnly: 'Unread only',
  markRead: 'Mark as read',
  markAllRead: 'Mark all as read',
  marking: 'Saving…',
  unread: 'Unread',
  empty: 'No notifications.',
  emptyUnread: 'No unread notifications.',
  loading: 'Loading notifications…',
  more: 'Show more',
  retry: 'Retry',
  technicianTitle: 'Your work orders on {day}',
  engineerTitle: 'Overdue regulatory work on {day}',
  overdueCount: 'None overdue | 1 overdue | {n} overdue',
  dueSoonCount: 'none due within {days} days | 1 due within {days} days | {n} due within {days} days',
  overdue: 'Overdue',
  dueSoon: 'Due soon',
  regulatory: 'Regulatory',
  due: 'Due {date}',
  hidden: '… and 1 more | … and {n} more',
  certificateTitle: 'Your certificates to renew ({day})',
  certificatesTeamTitle: 'Team certificates to renew ({day})',
  certificateCount: 'No certificate | 1 certificate expiring | {n} certificates expiring',
  certificateExpired: 'Expired',
  certificateExpiredOn: 'Expired on {date}',
  certificateExpiresOn: 'Expires today ({date}) | Expires on {date}, in 1 day | Expires on {date}, in {n} days',
  open: 'See the list',
  email: {
    not_sent: 'Email pending',
    sent: 'Sent by email',
    failed: 'Email not sent (tried again at the next sending)',
    disabled: 'In the application only',
  },
};

export const notificationBell = {
  label: 'Notifications, none unread | Notifications, 1 unread | Notifications, {n} unread',
};

export default notifications;
