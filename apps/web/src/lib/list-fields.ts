import type { EquipmentSummary, WorkOrderSummary } from '@gmao/contracts';

/**
 * What each list of the SPA reads of its items. GET /equipment and GET /work-orders answer
 * summaries (`EquipmentSummary`, `WorkOrderSummary`), not the full objects of GET /{id}:
 *
 * - each component below takes its items as `Pick<…Summary, these fields>`, so vue-tsc refuses
 *   a component that reads a field not listed here, and `Pick` refuses a field the summary lacks;
 * - tests/api/list-summaries.int.test.ts checks that the API's list answers carry every field
 *   listed, for every component.
 *
 * A component that needs more than its list's summary fetches GET /{id} (e.g. the device page).
 */

type Fields<T> = readonly (keyof T)[];

/** pages/InventoryPage.vue: a row of the inventory table, and the label selection (id → inventory number). */
export const INVENTORY_ROW_FIELDS = [
  'id', 'inventoryNumber', 'category', 'model', 'serialNumber', 'site', 'locationPath', 'status', 'emScore',
] as const satisfies Fields<EquipmentSummary>;
export type InventoryRow = Pick<EquipmentSummary, (typeof INVENTORY_ROW_FIELDS)[number]>;

/**
 * components/backlog/DevicePicker.vue and the device it gives pages/WorkOrderNewPage.vue (which
 * also loads it with GET /equipment/{id} from the URL): number, status, label, site, location;
 * the site and status decide the rights and the suggested type.
 */
export const PICKED_DEVICE_FIELDS = [
  'id', 'inventoryNumber', 'status', 'category', 'model', 'site', 'locationPath',
] as const satisfies Fields<EquipmentSummary>;
export type PickedDevice = Pick<EquipmentSummary, (typeof PICKED_DEVICE_FIELDS)[number]>;

/** components/DeviceMatchList.vue: the devices a scanned code designates (GET /equipment/lookup sends full ones). */
export const DEVICE_MATCH_FIELDS = ['id', 'inventoryNumber', 'site', 'model', 'status'] as const satisfies Fields<EquipmentSummary>;
export type DeviceMatch = Pick<EquipmentSummary, (typeof DEVICE_MATCH_FIELDS)[number]>;

/** components/WorkOrderCard.vue (in WorkOrderList: mine, my requests, a device's): nextDue(), responseTimePassed(), isOverdue(). */
export const WORK_ORDER_CARD_FIELDS = [
  'id', 'number', 'priority', 'state', 'equipment', 'site', 'symptom', 'dueResponseAt', 'dueRepairAt',
] as const satisfies Fields<WorkOrderSummary>;
export type WorkOrderCardItem = Pick<WorkOrderSummary, (typeof WORK_ORDER_CARD_FIELDS)[number]>;

/**
 * components/backlog/BacklogTable.vue: a backlog row, abilitiesOn() (site, state, requester,
 * assignees) for "Clôturer", and the version its closure sends (If-Match).
 */
export const BACKLOG_ROW_FIELDS = [
  'id', 'number', 'type', 'priority', 'state', 'equipment', 'site', 'symptom', 'assignees',
  'requestedBy', 'requestedAt', 'dueResponseAt', 'dueRepairAt', 'version',
] as const satisfies Fields<WorkOrderSummary>;
export type BacklogRow = Pick<WorkOrderSummary, (typeof BACKLOG_ROW_FIELDS)[number]>;

/** pages/WorkRequestPage.vue: the fault reports already open on the device. */
export const OPEN_REPORT_FIELDS = ['id', 'number', 'state', 'requestedAt', 'symptom'] as const satisfies Fields<WorkOrderSummary>;
export type OpenReport = Pick<WorkOrderSummary, (typeof OPEN_REPORT_FIELDS)[number]>;

/** components/home/MyWorkPanel.vue: the technician's work on the home page, sorted by due day (the card's fields and the planned due date). */
export const MY_WORK_FIELDS = [...WORK_ORDER_CARD_FIELDS, 'dueDate'] as const satisfies Fields<WorkOrderSummary>;
export type MyWorkItem = Pick<WorkOrderSummary, (typeof MY_WORK_FIELDS)[number]>;

/** Every list of devices (items of GET /equipment, or of GET /equipment/lookup) and what it reads. */
export const EQUIPMENT_LIST_READERS: Record<string, Fields<EquipmentSummary>> = {
  'pages/InventoryPage.vue': INVENTORY_ROW_FIELDS,
  'components/backlog/DevicePicker.vue': PICKED_DEVICE_FIELDS,
  'components/DeviceMatchList.vue': DEVICE_MATCH_FIELDS,
};

/** Every list of work orders (items of GET /work-orders) and what it reads. */
export const WORK_ORDER_LIST_READERS: Record<string, Fields<WorkOrderSummary>> = {
  'components/WorkOrderCard.vue': WORK_ORDER_CARD_FIELDS,
  'components/backlog/BacklogTable.vue': BACKLOG_ROW_FIELDS,
  'pages/WorkRequestPage.vue': OPEN_REPORT_FIELDS,
  'components/home/MyWorkPanel.vue': MY_WORK_FIELDS,
};
