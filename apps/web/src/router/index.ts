import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import type { Action } from '@gmao/domain';
import { useAuthStore } from '../stores/auth.ts';
import { ServerUnreachableError } from '../api/client.ts';
import { i18n, loadPageMessages } from '../i18n/index.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** The policy action the page needs on at least one site, or territory-wide (auth.canSomewhere()). */
    requires?: Action;
    /** i18n key of the page's title, shown in the browser tab. */
    title?: string;
    /** The page needs only the catalogue's shell sections (i18n/sections.ts); the others wait for the rest. */
    shell?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/login', name: 'login', component: () => import('../pages/LoginPage.vue'), meta: { public: true, shell: true, title: 'login.title' } },
    {
      path: '/',
      component: () => import('../layouts/AppLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('../pages/HomePage.vue'), meta: { shell: true, title: 'nav.home' } },
        { path: 'inventory', name: 'inventory', component: () => import('../pages/InventoryPage.vue'), meta: { title: 'nav.inventory' } },
        {
          path: 'inventory/new',
          name: 'equipment-new',
          component: () => import('../pages/EquipmentNewPage.vue'),
          meta: { title: 'equipmentForm.createTitle' },
        },
        {
          path: 'inventory/import',
          name: 'equipment-import',
          component: () => import('../pages/ImportPage.vue'),
          meta: { requires: 'inventory.write', title: 'imports.title' },
        },
        {
          path: 'inventory/obligations',
          name: 'obligation-review',
          component: () => import('../pages/ObligationReviewPage.vue'),
          meta: { requires: 'maintenance.plan', title: 'nav.obligationReview' },
        },
        { path: 'inventory/:id', name: 'equipment', component: () => import('../pages/EquipmentPage.vue'), meta: { title: 'equipment.title' } },
        // What the devices' QR labels encode: the raw inventory number (which may contain slashes).
        {
          path: 'e/:inventoryNumber(.*)',
          name: 'equipment-lookup',
          component: () => import('../pages/EquipmentLookupPage.vue'),
          meta: { title: 'lookup.title' },
        },
        {
          path: 'work-requests/new',
          name: 'work-request-new',
          component: () => import('../pages/WorkRequestPage.vue'),
          meta: { requires: 'workorder.request', title: 'workRequest.title' },
        },
        { path: 'work-requests', name: 'work-requests', component: () => import('../pages/WorkOrderListPage.vue'), props: { mode: 'requests' }, meta: { title: 'nav.myRequests' } },
        { path: 'work-orders/mine', name: 'work-orders-mine', component: () => import('../pages/WorkOrderListPage.vue'), props: { mode: 'assigned' }, meta: { title: 'nav.myWorkOrders' } },
        {
          path: 'work-orders',
          name: 'work-orders',
          component: () => import('../pages/WorkOrderBacklogPage.vue'),
          meta: { requires: 'workorder.create', title: 'nav.backlog' },
        },
        {
          path: 'work-orders/new',
          name: 'work-order-new',
          component: () => import('../pages/WorkOrderNewPage.vue'),
          meta: { requires: 'workorder.create', title: 'backlog.newTitle' },
        },
        { path: 'work-orders/:id', name: 'work-order', component: () => import('../pages/WorkOrderPage.vue'), meta: { title: 'workOrders.title' } },
        { path: 'stock', name: 'stock', component: () => import('../pages/StockPage.vue'), meta: { title: 'nav.stock' } },
        {
          path: 'stock/availability',
          name: 'stock-availability',
          component: () => import('../pages/StockAvailabilityPage.vue'),
          meta: { title: 'stock.availability.title' },
        },
        { path: 'stock/parts', name: 'stock-parts', component: () => import('../pages/StockPartsPage.vue'), meta: { title: 'stock.parts.title' } },
        {
          path: 'purchasing',
          name: 'purchasing',
          component: () => import('../pages/GroupedOrderPage.vue'),
          meta: { requires: 'purchasing.manage', title: 'purchasing.title' },
        },
        { path: 'stock/transfers', name: 'stock-transfers', component: () => import('../pages/StockTransfersPage.vue'), meta: { title: 'transfers.title' } },
        // The engineer's planning views of preventive maintenance (issue 13), with their tabs (components/pm/PmTabs.vue).
        {
          path: 'maintenance/calendar',
          name: 'pm-calendar',
          component: () => import('../pages/PmCalendarPage.vue'),
          meta: { requires: 'maintenance.plan', title: 'pmPlanning.calendar.title' },
        },
        {
          path: 'maintenance/workload',
          name: 'pm-workload',
          component: () => import('../pages/PmWorkloadPage.vue'),
          meta: { requires: 'maintenance.plan', title: 'pmPlanning.workload.title' },
        },
        {
          path: 'maintenance/compliance',
          name: 'pm-compliance',
          component: () => import('../pages/PmCompliancePage.vue'),
          meta: { requires: 'maintenance.plan', title: 'pmPlanning.compliance.title' },
        },
        { path: 'maintenance/plans', name: 'maintenance-plans', component: () => import('../pages/MaintenancePlansPage.vue'), meta: { title: 'nav.maintenancePlans' } },
        {
          path: 'maintenance/plans/new',
          name: 'maintenance-plan-new',
          component: () => import('../pages/MaintenancePlanNewPage.vue'),
          meta: { requires: 'maintenance.plan', title: 'pmPlans.form.createTitle' },
        },
        { path: 'maintenance/plans/:id', name: 'maintenance-plan', component: () => import('../pages/MaintenancePlanPage.vue'), meta: { title: 'pmPlans.plan.title' } },
        {
          path: 'maintenance/coverage',
          name: 'maintenance-coverage',
          component: () => import('../pages/MaintenanceCoveragePage.vue'),
          meta: { requires: 'maintenance.plan', title: 'pmPlans.coverage.title' },
        },
        // The competency map (issue 14), with its tabs (components/competency/CompetencyTabs.vue).
        {
          path: 'competency/matrix',
          name: 'competency-matrix',
          component: () => import('../pages/CompetencyMatrixPage.vue'),
          meta: { requires: 'competency.read', title: 'competency.matrix.title' },
        },
        {
          path: 'competency/people/:userId',
          name: 'competency-person',
          component: () => import('../pages/CompetencyPersonPage.vue'),
          meta: { requires: 'competency.read', title: 'competency.person.title' },
        },
        {
          path: 'competency/coverage',
          name: 'competency-coverage',
          component: () => import('../pages/CompetencyCoveragePage.vue'),
          meta: { requires: 'competency.read', title: 'competency.coverage.title' },
        },
        {
          path: 'competency/skills',
          name: 'competency-skills',
          component: () => import('../pages/CompetencySkillsPage.vue'),
          meta: { requires: 'skill.manage', title: 'competency.skills.title' },
        },
        // The indicators (issue 15): the six KPIs, their monthly trends and their tables.
        { path: 'indicators', name: 'indicators', component: () => import('../pages/KpiPage.vue'), meta: { requires: 'kpi.read', title: 'nav.indicators' } },
        // Cost allocation between sites (issue 15, ADR 0023), with its tabs (components/cost/CostTabs.vue).
        {
          path: 'cost-allocation',
          name: 'cost-statements',
          component: () => import('../pages/CostStatementsPage.vue'),
          meta: { requires: 'cost.statement.read', title: 'costAllocation.statements.title' },
        },
        {
          path: 'cost-allocation/convention',
          name: 'cost-convention',
          component: () => import('../pages/CostConventionPage.vue'),
          meta: { requires: 'cost.statement.read', title: 'costAllocation.convention.title' },
        },
        {
          path: 'cost-allocation/contracts',
          name: 'maintenance-contracts',
          component: () => import('../pages/MaintenanceContractsPage.vue'),
          meta: { requires: 'cost.statement.read', title: 'costAllocation.contracts.title' },
        },
        { path: 'notifications', name: 'notifications', component: () => import('../pages/NotificationsPage.vue'), meta: { title: 'notifications.title' } },
        { path: 'scan', name: 'scan', component: () => import('../pages/ScanPage.vue'), meta: { title: 'scan.title' } },
        { path: 'admin/sites', name: 'sites', component: () => import('../pages/SitesPage.vue'), meta: { title: 'nav.sites' } },
        { path: 'admin/locations', name: 'locations', component: () => import('../pages/LocationsPage.vue'), meta: { title: 'nav.locations' } },
        {
          path: 'admin/users',
          name: 'users',
          component: () => import('../pages/UsersPage.vue'),
          meta: { requires: 'user.read', title: 'nav.users' },
        },
        {
          path: 'admin/settings',
          name: 'settings',
          component: () => import('../pages/SettingsPage.vue'),
          meta: { requires: 'checklist.write', title: 'nav.settings' },
        },
        { path: 'forbidden', name: 'forbidden', component: () => import('../pages/ForbiddenPage.vue'), meta: { shell: true, title: 'forbidden.title' } },
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { shell: true, title: 'notFound.title' } },
      ],
    },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

/** Only same-app paths are accepted as a post-login destination (no open redirect). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login')
    ? value
    : '/';
}

router.beforeEach(async (to: RouteLocationNormalized) => {
  // Fetched alongside the session check and the page's own chunk; awaited in beforeResolve.
  if (!to.meta.shell) loadPageMessages().catch(() => undefined);
  const auth = useAuthStore();
  try {
    await auth.init();
  } catch (error) {
    // The API is down: the banner says so; let the page render its shell meanwhile.
    if (error instanceof ServerUnreachableError) return true;
    throw error;
  }
  if (to.meta.public) {
    return auth.signedIn && to.name === 'login' ? safeRedirect(to.query.redirect) : true;
  }
  if (!auth.signedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.requires && !auth.canSomewhere(to.meta.requires)) {
    return { name: 'forbidden' };
  }
  return true;
});

// A page other than the shell's shows once the catalogue's other sections are there.
router.beforeResolve(async (to) => {
  if (!to.meta.shell) await loadPageMessages();
});

/** Browser tab title: "<page> · GMAO de territoire", in the current language. */
export function updateDocumentTitle(): void {
  const { t } = i18n.global;
  const key = router.currentRoute.value.meta.title;
  document.title = key ? `${t(key)} · ${t('app.name')}` : t('app.name');
}

router.afterEach((to, from, failure) => {
  if (failure) return;
  updateDocumentTitle();
  // After an in-app navigation, move focus to the new content so screen readers follow.
  if (from.matched.length > 0 && to.path !== from.path) {
    requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }));
  }
});
