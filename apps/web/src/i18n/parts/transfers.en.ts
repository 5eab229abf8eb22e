import type transfersFR from './transfers.fr.ts';

// English UI text of the transfers of parts between sites (same keys as transfers.fr.ts).
const transfers: typeof transfersFR = {
  title: 'Transfers between sites',
  intro:
    'Parts requested from another site or by another site: the owning site approves or rejects, then ships; the requesting site receives. Newest first.',
  filters: 'Transfer filters',
  site: 'Site (from or to)',
  allSites: 'All sites',
  state: 'State',
  allStates: 'All states',
  empty: 'No transfer.',
  route: '{from} → {to}',
  direction: { in: 'Incoming', out: 'Outgoing' },
  quantity: {
    requested: 'Requested',
    approved: 'Approved',
    shipped: 'Shipped',
    inTransit: 'In transit',
    received: 'Received',
    lost: 'Lost',
  },
  value: 'Value shipped',
  valueLost: 'Value lost',
  unitCost: '{cost} each',
  you: 'you',
  someoneOf: 'someone at {site}',
  someone: 'someone at one of the two sites',
  step: {
    requested: 'Requested by {who} on {at}',
    approved: 'Approved by {who} on {at}',
    rejected: 'Rejected by {who} on {at}',
    shipped: 'Shipped by {who} on {at}',
    received: 'Received by {who} on {at}',
    cancelled: 'Cancelled by {who} on {at}',
  },
  reasons: {
    request: 'Reason for the request: {text}',
    decision: 'Note of the owning site: {text}',
    reject: 'Reason for the rejection: {text}',
    loss: 'Reason for the loss: {text}',
    cancel: 'Reason for the cancellation: {text}',
  },
  workOrder: 'See the work order',
  action: {
    approve: 'Approve',
    reject: 'Reject',
    ship: 'Ship',
    receive: 'Receive',
    cancel: 'Cancel the transfer',
  },
  confirm: {
    approve: 'Confirm the approval',
    reject: 'Confirm the rejection',
    ship: 'Confirm the shipment',
    receive: 'Confirm the receipt',
    cancel: 'Confirm the cancellation',
  },
  form: {
    quantity: {
      approve: 'Quantity approved',
      ship: 'Quantity shipped',
      receive: 'Quantity received',
    },
    quantityHint: {
      approve: 'Fewer than requested if need be.',
      ship: 'Fewer than approved if need be: the stock leaves the store when shipped.',
      receive: 'What arrived; the shortfall is recorded as lost and the transfer closes.',
    },
    text: {
      approve: 'Note',
      reject: 'Reason for the rejection',
      ship: 'Note',
      receive: 'Reason for the loss (damaged, missing…)',
      cancel: 'Reason for the cancellation',
    },
    lost: 'No part lost | 1 part will be recorded as lost. | {n} parts will be recorded as lost.',
  },
  done: {
    approve: 'Transfer approved.',
    reject: 'Transfer rejected.',
    ship: 'Transfer shipped: the parts are in transit.',
    receive: 'Transfer received: the parts are in stock.',
    cancel: 'Transfer cancelled.',
  },
  quantityInvalid: 'Enter a whole quantity from 1 to {max}.',
  receiveInvalid: 'Enter a whole quantity from 0 to {max}.',
  reasonRequired: 'Enter the reason.',
  lossReasonRequired: 'Say why the part is missing. | Say why the part is missing. | Say why the {n} parts are missing.',
};

export default transfers;
