import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParams, Notification, NotificationListQuery, NotificationPage, NotificationsReadAll } from '@gmao/contracts';
import { actor } from '../../plugins/auth.js';
import { problems } from '../../lib/http.js';
import type { NotificationsService } from './notifications.service.js';

export const notificationsRoutes: FastifyPluginAsyncZod<{ notifications: NotificationsService }> = async (app, { notifications }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/notifications', {
    schema: {
      tags: ['notifications'],
      summary: "The signed-in user's notifications (the daily digests), newest first, with the unread count; unread=true: the unread ones only",
      querystring: NotificationListQuery, response: { 200: NotificationPage, ...problems(400, 401) },
    },
  }, async (request) => notifications.list(actor(request), request.query));

  app.post('/notifications/read-all', {
    schema: {
      tags: ['notifications'], summary: "Mark every unread notification of the signed-in user read",
      response: { 200: NotificationsReadAll, ...problems(401) },
    },
  }, async (request) => notifications.readAll(actor(request)));

  app.post('/notifications/:id/read', {
    schema: {
      tags: ['notifications'], summary: "Mark one of the signed-in user's notifications read (404 for another user's)",
      params: IdParams, response: { 200: Notification, ...problems(400, 401, 404) },
    },
  }, async (request) => notifications.read(actor(request), request.params.id));
};
