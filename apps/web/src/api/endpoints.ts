import {
  Decommission,
  DecommissionList,
  Equipment,
  EquipmentCategory,
  EquipmentSummary,
  EquipmentHistory,
  EquipmentModel,
  ObligationReviewItem,
  Location,
  LocationTree,
  RoleGrant,
  Site,
  User,
  LookupResult,
  ImportReport,
  ImportState,
  ImportUpload,
  JobAccepted,
  JobStatus,
  WorkOrder,
  WorkOrderSummary,
  ChecklistItem,
  LabourEntry,
  Attachment,
  Assignable,
  ChecklistTemplate,
  ExternalIntervention,
  PartUsed,
  Register,
  WorkOrderSettings,
  WorkOrderTransition,
  page,
  type ChecklistTemplateCreate,
  type ChecklistTemplateWrite,
  type ExternalCreate,
  type PartCreate,
  type WorkOrderCreate,
  type WorkOrderSettingsWrite,
  type ChecklistAdd,
  type ChecklistAnswerInput,
  type LabourCreate,
  type SignatureCreate,
  type WorkOrderTransitionRequest,
  WorkOrderPlanners,
  type WorkRequestCreate,
  type DecommissionCreate,
  type DecommissionDecision,
  type EquipmentCreate,
  type EquipmentModelCreate,
  type EquipmentModelUpdate,
  type EquipmentMove,
  type EquipmentStatusChange,
  type EquipmentUpdate,
  type ImportPlanRequest,
  type LabelsPdfRequest,
  type LocationCreate,
  type LocationUpdate,
  type Role,
  type RoleGrantCreate,
  type SiteCreate,
  type SiteUpdate,
  type UserCreate,
} from '@gmao/contracts';
import type { CRITICALITIES, EQUIPMENT_STATUSES, MAINTENANCE_MODES, RISK_CLASSES, WorkOrderPriority, WorkOrderState, WorkOrderType } from '@gmao/domain';
import { z } from 'zod';
import { request, requestFile, requestNoContent, type QueryValue } from './client.ts';

const SitePage = page(Site);
const UserPage = page(User);
const CategoryList = z.object({ items: z.array(EquipmentCategory) });
const ModelPage = page(EquipmentModel);
/** GET /equipment answers summaries; the full device is `get(id)`. */
const EquipmentPage = page(EquipmentSummary);
const ObligationReviewPage = page(ObligationReviewItem);

export type SitePage = z.infer<typeof SitePage>;
export type UserPage = z.infer<typeof UserPage>;
export type EquipmentPage = z.infer<typeof EquipmentPage>;

export interface ListParams {
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export interface UserListParams extends ListParams {
  siteId?: string;
  role?: Role;
  active?: boolean;
}

export interface ModelListParams extends ListParams {
  categoryId?: string;
}

/** GET /equipment filters; the multi-valued ones travel as comma-separated lists. */
export interface EquipmentListParams extends ListParams {
  siteId?: string;
  locationId?: string;
  categoryId?: string;
  status?: readonly (typeof EQUIPMENT_STATUSES)[number][];
  riskClass?: readonly (typeof RISK_CLASSES)[number][];
  criticality?: readonly (typeof CRITICALITIES)[number][];
  maintenanceMode?: readonly (typeof MAINTENANCE_MODES)[number][];
  /** yyyy-mm-dd */
  warrantyEndsBefore?: string;
}

/** The list's filters without its paging: what the exports take. */
export type EquipmentFilterParams = Omit<EquipmentListParams, 'limit' | 'cursor'>;

const enc = encodeURIComponent;
const csv = (values?: readonly string[]) => (values && values.length > 0 ? values.join(',') : undefined);

/** GET /equipment filters (and the exports') as query parameters. */
function equipmentQuery(params: EquipmentListParams): Record<string, QueryValue> {
  return {
    ...params,
    status: csv(params.status),
    riskClass: csv(params.riskClass),
    criticality: csv(params.criticality),
    maintenanceMode: csv(params.maintenanceMode),
  };
}

export { authApi, healthApi } from './session.ts';

export const sitesApi = {
  list: (params: ListParams = {}) => request('/sites', SitePage, { query: { ...params } }),
  get: (id: string) => request(`/sites/${enc(id)}`, Site),
  create: (body: SiteCreate) => request('/sites', Site, { method: 'POST', body }),
  update: (id: string, version: number, body: SiteUpdate) =>
    request(`/sites/${enc(id)}`, Site, { method: 'PATCH', body, ifMatch: version }),
  /** Every site of the territory, following the cursor (a territory has tens of sites). */
  async listAll(): Promise<Site[]> {
    const all: Site[] = [];
    let cursor: string | null = null;
    do {
      const result: SitePage = await sitesApi.list({ limit: 200, cursor });
      all.push(...result.items);
      cursor = result.nextCursor;
    } while (cursor);
    return all;
  },
};

export const locationsApi = {
  tree: (siteId: string) => request(`/sites/${enc(siteId)}/locations`, LocationTree),
  create: (siteId: string, body: LocationCreate) =>
    request(`/sites/${enc(siteId)}/locations`, Location, { method: 'POST', body }),
  update: (id: string, version: number, body: LocationUpdate) =>
    request(`/locations/${enc(id)}`, Location, { method: 'PATCH', body, ifMatch: version }),
  move: (id: string, version: number, parentId: string | null) =>
    request(`/locations/${enc(id)}/move`, Location, { method: 'POST', body: { parentId }, ifMatch: version }),
};

export const usersApi = {
  list: (params: UserListParams = {}) =>
    request('/users', UserPage, { query: { ...params } as Record<string, QueryValue> }),
  get: (id: string) => request(`/users/${enc(id)}`, User),
  create: (body: UserCreate) => request('/users', User, { method: 'POST', body }),
  deactivate: (id: string) => request(`/users/${enc(id)}/deactivate`, User, { method: 'POST' }),
  activate: (id: string) => request(`/users/${enc(id)}/activate`, User, { method: 'POST' }),
  grantRole: (id: string, body: RoleGrantCreate) =>
    request(`/users/${enc(id)}/roles`, RoleGrant, { method: 'POST', body }),
  revokeRole: (id: string, grantId: string) =>
    requestNoContent(`/users/${enc(id)}/roles/${enc(grantId)}`, { method: 'DELETE' }),
};

export const catalogApi = {
  /** The whole nomenclature, flat (parentId gives the tree), sorted by code. */
  categories: () => request('/equipment-categories', CategoryList),
  models: (params: ModelListParams = {}) => request('/equipment-models', ModelPage, { query: { ...params } }),
  createModel: (body: EquipmentModelCreate) => request('/equipment-models', EquipmentModel, { method: 'POST', body }),
  model: (id: string) => request(`/equipment-models/${enc(id)}`, EquipmentModel),
  /** The electrical class and applied parts (the electrical-safety test's limits follow them), Basic UDI-DI, EMDN code. */
  updateModel: (id: string, version: number, body: EquipmentModelUpdate) =>
    request(`/equipment-models/${enc(id)}`, EquipmentModel, { method: 'PATCH', body, ifMatch: version }),
};

export const equipmentApi = {
  list: (params: EquipmentListParams = {}) => request('/equipment', EquipmentPage, { query: equipmentQuery(params) }),
  get: (id: string) => request(`/equipment/${enc(id)}`, Equipment),
  create: (body: EquipmentCreate) => request('/equipment', Equipment, { method: 'POST', body }),
  update: (id: string, version: number, body: EquipmentUpdate) =>
    request(`/equipment/${enc(id)}`, Equipment, { method: 'PATCH', body, ifMatch: version }),
  move: (id: string, version: number, body: EquipmentMove) =>
    request(`/equipment/${enc(id)}/move`, Equipment, { method: 'POST', body, ifMatch: version }),
  changeStatus: (id: string, version: number, body: EquipmentStatusChange) =>
    request(`/equipment/${enc(id)}/status`, Equipment, { method: 'POST', body, ifMatch: version }),
  history: (id: string) => request(`/equipment/${enc(id)}/history`, EquipmentHistory),
  /** Devices whose manual obligation flags disagree with the computed obligations. */
  obligationReview: (params: { siteId?: string; obligation?: 'maintenance' | 'qualityControl'; cursor?: string | null } = {}) =>
    request('/equipment/obligation-review', ObligationReviewPage, {
      query: { siteId: params.siteId, obligation: params.obligation, cursor: params.cursor ?? undefined, limit: 100 },
    }),
  /** What a scanned or typed code designates: a label, an inventory number or a GS1 UDI. */
  lookup: (code: string) => request('/equipment/lookup', LookupResult, { query: { code } }),
  /** The device's printable label (SVG, 70 × 37 mm); its QR code points to `origin`/e/{inventory number}. */
  label: (id: string, origin?: string) =>
    requestFile(`/equipment/${enc(id)}/label.svg`, { query: { origin }, accept: 'image/svg+xml' }),
  /** A4 sheets of labels (PDF); unknown ids: 400 with errors[].path `body.ids.N`. */
  labelSheets: (body: LabelsPdfRequest) =>
    requestFile('/equipment/labels.pdf', { method: 'POST', body, accept: 'application/pdf' }),
  /** The filtered inventory, whole: CSV for French Excel or an Excel workbook. */
  export: (format: 'csv' | 'xlsx', params: EquipmentFilterParams = {}, signal?: AbortSignal) =>
    requestFile(`/equipment/export.${format}`, {
      query: equipmentQuery(params),
      accept: format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      signal,
    }),
  /** Decommissioning (réforme) requests of the device, newest first. */
  decommissions: (id: string) => request(`/equipment/${enc(id)}/decommissions`, DecommissionList),
  requestDecommission: (id: string, body: DecommissionCreate) =>
    request(`/equipment/${enc(id)}/decommissions`, Decommission, { method: 'POST', body }),
  /** The site manager approves (the device leaves the active inventory) or rejects. */
  decideDecommission: (id: string, decommissionId: string, body: DecommissionDecision) =>
    request(`/equipment/${enc(id)}/decommissions/${enc(decommissionId)}/decision`, Decommission, { method: 'POST', body }),
};

export const importsApi = {
  /** Sends the file (multipart: siteId, file); answers its columns, sample rows and a suggested mapping. */
  upload: (siteId: string, file: File) => {
    const form = new FormData();
    form.set('siteId', siteId);
    form.set('file', file, file.name);
    return request('/equipment-imports', ImportUpload, { method: 'POST', body: form });
  },
  /** State of an import (uploaded, queued, running, succeeded, failed), to resume after a reload. */
  get: (id: string) => request(`/equipment-imports/${enc(id)}`, ImportState),
  /** Validates every row with the mapping, writing nothing (saves the mapping when asked). */
  dryRun: (id: string, body: ImportPlanRequest) =>
    request(`/equipment-imports/${enc(id)}/dry-run`, ImportReport, { method: 'POST', body }),
  /** Imports for real in a background job: follow it with jobsApi.get. */
  commit: (id: string, body: ImportPlanRequest) =>
    request(`/equipment-imports/${enc(id)}/commit`, JobAccepted, { method: 'POST', body }),
};

export const jobsApi = {
  get: (jobId: string) => request(`/jobs/${enc(jobId)}`, JobStatus),
};

/** GET /work-orders answers summaries; the full work order is `get(id)`. */
const WorkOrderPage = page(WorkOrderSummary);
const LabourList = z.object({ items: z.array(LabourEntry) });
const ChecklistList = z.object({ items: z.array(ChecklistItem) });
const TransitionList = z.object({ items: z.array(WorkOrderTransition) });
const ExternalList = z.object({ items: z.array(ExternalIntervention) });
const PartList = z.object({ items: z.array(PartUsed) });
const AttachmentList = z.object({ items: z.array(Attachment) });
const AssignableList = z.object({ items: z.array(Assignable) });
const TemplateList = z.object({ items: z.array(ChecklistTemplate) });
export type WorkOrderPage = z.infer<typeof WorkOrderPage>;

/** GET /work-orders filters; sorted by the API by priority, then repair due date. */
export interface WorkOrderListParams {
  assignee?: 'me';
  requestedBy?: 'me';
  state?: readonly WorkOrderState[];
  type?: readonly WorkOrderType[];
  priority?: readonly WorkOrderPriority[];
  siteId?: string;
  equipmentId?: string;
  /** Open work orders past their repair due date. */
  overdue?: boolean;
  /** Work-order number, words of the symptom, or the device (inventory or serial number, model, location). */
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export const workOrdersApi = {
  /** A fault reported by care staff (or anyone with workorder.request on the device's site). */
  request: (body: WorkRequestCreate) => request('/work-requests', WorkOrder, { method: 'POST', body }),
  /** A work order of any type, by the biomedical team of the device's site. */
  create: (body: WorkOrderCreate) => request('/work-orders', WorkOrder, { method: 'POST', body }),
  list: (params: WorkOrderListParams = {}) =>
    request('/work-orders', WorkOrderPage, {
      query: {
        assignee: params.assignee,
        requestedBy: params.requestedBy,
        state: csv(params.state),
        type: csv(params.type),
        priority: csv(params.priority),
        siteId: params.siteId,
        equipmentId: params.equipmentId,
        overdue: params.overdue ? 'true' : undefined,
        q: params.q || undefined,
        limit: params.limit,
        cursor: params.cursor ?? undefined,
      },
    }),
  get: (id: string) => request(`/work-orders/${enc(id)}`, WorkOrder),
  /** Diagnosis and actions (assignees, planners); priority (planners only). */
  update: (id: string, version: number, body: { diagnosis?: string | null; actions?: string | null; priority?: WorkOrderPriority }) =>
    request(`/work-orders/${enc(id)}`, WorkOrder, { method: 'PATCH', body, ifMatch: version }),
  transition: (id: string, version: number, body: WorkOrderTransitionRequest) =>
    request(`/work-orders/${enc(id)}/transitions`, WorkOrder, { method: 'POST', body, ifMatch: version }),
  /** An engineer puts the device back in service after a non-conforming verdict, with a reason. */
  restart: (id: string, version: number, reason: string) =>
    request(`/work-orders/${enc(id)}/restart`, WorkOrder, { method: 'POST', body: { reason }, ifMatch: version }),
  /** Every change of state, oldest first (actor null: the system). */
  transitions: (id: string) => request(`/work-orders/${enc(id)}/transitions`, TransitionList),
  assign: (id: string, userId: string) => request(`/work-orders/${enc(id)}/assignees`, WorkOrder, { method: 'POST', body: { userId } }),
  /** Who assigns the work order: its site's manager and engineers (the territory admins when it has none). */
  planners: (id: string) => request(`/work-orders/${enc(id)}/planners`, WorkOrderPlanners),
  /** Active technicians and engineers of the territory, with their sites (for assignment). */
  assignable: (q?: string) => request('/technicians', AssignableList, { query: { q: q || undefined } }),
  labour: (id: string) => request(`/work-orders/${enc(id)}/labour`, LabourList),
  addLabour: (id: string, body: LabourCreate) => request(`/work-orders/${enc(id)}/labour`, WorkOrder, { method: 'POST', body }),
  externals: (id: string) => request(`/work-orders/${enc(id)}/external-interventions`, ExternalList),
  addExternal: (id: string, body: ExternalCreate) =>
    request(`/work-orders/${enc(id)}/external-interventions`, WorkOrder, { method: 'POST', body }),
  parts: (id: string) => request(`/work-orders/${enc(id)}/parts`, PartList),
  addPart: (id: string, body: PartCreate) => request(`/work-orders/${enc(id)}/parts`, PartList, { method: 'POST', body }),
  /** The technician's name and the signature drawn on the screen, as a PNG data URL. */
  sign: (id: string, body: SignatureCreate) => request(`/work-orders/${enc(id)}/signature`, WorkOrder, { method: 'POST', body }),
  checklist: (id: string) => request(`/work-orders/${enc(id)}/checklist`, ChecklistList),
  /** Adds a template's items ({ template: code }) or one item by hand ({ item }). */
  addChecklist: (id: string, body: ChecklistAdd) => request(`/work-orders/${enc(id)}/checklist`, ChecklistList, { method: 'POST', body }),
  /** Answers an item; a measurement comes back with its outcome computed against its limits. */
  answer: (id: string, itemId: string, body: ChecklistAnswerInput) =>
    request(`/work-orders/${enc(id)}/checklist/${enc(itemId)}`, ChecklistItem, { method: 'PUT', body }),
  attachments: (id: string) => request(`/work-orders/${enc(id)}/attachments`, AttachmentList),
  /** Photo (JPEG, PNG, WebP) or PDF; the API checks the bytes (415) and the size (413). */
  upload: (id: string, file: File) => {
    const form = new FormData();
    form.set('file', file, file.name);
    return request(`/work-orders/${enc(id)}/attachments`, Attachment, { method: 'POST', body: form });
  },
  download: (id: string, attachmentId: string) => requestFile(`/work-orders/${enc(id)}/attachments/${enc(attachmentId)}`),
  /** The intervention report (bon d'intervention), PDF. */
  report: (id: string) => requestFile(`/work-orders/${enc(id)}/report.pdf`, { accept: 'application/pdf' }),
  /** The device's maintenance register (R.5212-28). */
  register: (equipmentId: string) => request(`/equipment/${enc(equipmentId)}/register`, Register),
  registerCsv: (equipmentId: string) =>
    requestFile(`/equipment/${enc(equipmentId)}/register`, { query: { format: 'csv' }, accept: 'text/csv' }),
  registerPdf: (equipmentId: string) =>
    requestFile(`/equipment/${enc(equipmentId)}/register`, { query: { format: 'pdf' }, accept: 'application/pdf' }),
};

export const settingsApi = {
  /** Priority targets and automatic closure delay of the territory (version 0: the defaults). */
  workOrders: () => request('/settings/work-orders', WorkOrderSettings),
  saveWorkOrders: (version: number, body: WorkOrderSettingsWrite) =>
    request('/settings/work-orders', WorkOrderSettings, { method: 'PUT', body, ifMatch: version }),
};

export const checklistTemplatesApi = {
  list: () => request('/checklist-templates', TemplateList),
  get: (code: string) => request(`/checklist-templates/${enc(code)}`, ChecklistTemplate),
  create: (body: ChecklistTemplateCreate) => request('/checklist-templates', ChecklistTemplate, { method: 'POST', body }),
  /** Replaces name and items; a built-in template never changed has version 0. */
  save: (code: string, version: number, body: ChecklistTemplateWrite) =>
    request(`/checklist-templates/${enc(code)}`, ChecklistTemplate, { method: 'PUT', body, ifMatch: version }),
  /** A built-in template goes back to its defaults; a territory's own template is deleted. */
  remove: (code: string, version: number) => requestNoContent(`/checklist-templates/${enc(code)}`, { method: 'DELETE', ifMatch: version }),
};
