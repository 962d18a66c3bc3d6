/**
 * The emulator's Checkout Sessions, and Stripe's documented rules for them, with no HTTP:
 * each endpoint method takes the decoded parameters and returns the JSON Stripe would answer,
 * or throws an `ApiError`. Whatever it does not emulate it refuses, so it is never more
 * permissive than Stripe.
 */
import {
  MAX_LIST,
  StateError,
  expansions,
  integer,
  invalid,
  list,
  metadata,
  missing,
  noSuch,
  object,
  onlyKeys,
  string,
  token,
  unknownParam,
  type Params,
} from './emulator-params.js';

export type SessionStatus = 'open' | 'complete' | 'expired';

interface Price {
  id: string;
  product: string;
  productName: string;
  currency: string;
  unitAmount: number;
  /** Prices made inline from `price_data` are not active: `line_items[][price]` refuses them. */
  active: boolean;
}

interface LineItem {
  id: string;
  price: Price;
  quantity: number;
  metadata: Record<string, string>;
}

interface Session {
  id: string;
  clientSecret: string;
  created: number;
  expiresAt: number;
  status: SessionStatus;
  returnUrl: string;
  currency: string;
  metadata: Record<string, string>;
  lineItems: LineItem[];
}

/** What a browser stand-in needs to show a session (the example server's `GET /__emulator/session`). */
export interface BrowserSession {
  id: string;
  status: SessionStatus;
  currency: string;
  /** `price` is the line item's Price id, which Stripe.js reports as the line item's `priceId`. */
  lineItems: { id: string; price: string; name: string; unitAmount: number; quantity: number }[];
  amountSubtotal: number;
  amountTotal: number;
  expiresAt: number;
}

const MAX_QUANTITY = 999_999;
const LIFETIME_S = 24 * 60 * 60;
/** An expanded `line_items` holds the first handful of items, as on Stripe; the list endpoint has them all. */
const EXPANDED_ITEMS = 10;

export class CheckoutSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly prices = new Map<string, Price>();
  private readonly products = new Map<string, string>(); // id -> name

  constructor(private readonly now: () => number = Date.now) {}

  // --- endpoints ---------------------------------------------------------------------------

  /** POST /v1/checkout/sessions */
  create(params: Params) {
    onlyKeys(params, ['mode', 'ui_mode', 'return_url', 'line_items', 'metadata', 'expand']);
    if (params['mode'] === undefined) throw missing('mode');
    if (params['mode'] !== 'payment') throw invalid('mode', 'The emulator supports only mode=payment.');
    if (params['ui_mode'] !== 'elements') throw invalid('ui_mode', 'The emulator supports only ui_mode=elements.');
    if (params['return_url'] === undefined) throw missing('return_url');
    const returnUrl = string(params['return_url'], 'return_url');
    if (!URL.canParse(returnUrl) || !/^https?:$/.test(new URL(returnUrl).protocol)) throw invalid('return_url', 'Not a valid URL', 'url_invalid');
    if (params['line_items'] === undefined) throw missing('line_items');
    const lineItems = list(params['line_items'], 'line_items').map((raw, i) => this.newLineItem(object(raw, `line_items[${i}]`), `line_items[${i}]`));
    const expand = expansions(params, ['line_items']);
    const meta = params['metadata'] === undefined ? {} : metadata(params['metadata'], 'metadata');
    const id = `cs_test_${token(58)}`;
    const session: Session = {
      id,
      clientSecret: `${id}_secret_${token(24)}`,
      created: this.seconds(),
      expiresAt: this.seconds() + LIFETIME_S,
      status: 'open',
      returnUrl,
      currency: checkLineItems(lineItems, null),
      metadata: meta,
      lineItems,
    };
    this.sessions.set(id, session);
    return sessionJson(session, expand);
  }

  /** GET /v1/checkout/sessions/:id */
  retrieve(id: string, params: Params) {
    onlyKeys(params, ['expand']);
    return sessionJson(this.session(id), expansions(params, ['line_items']));
  }

  /** POST /v1/checkout/sessions/:id: `line_items` retransmitted whole, and `metadata`. */
  update(id: string, params: Params) {
    onlyKeys(params, ['line_items', 'metadata', 'expand']);
    const session = this.session(id);
    const expand = expansions(params, ['line_items']);
    if (session.status !== 'open') throw new StateError(`This Checkout Session is ${session.status}: only open sessions can be updated.`);
    // Check everything before changing anything: a refused update changes nothing.
    const lineItems = params['line_items'] === undefined ? session.lineItems : this.retransmitted(session.lineItems, params['line_items']);
    checkLineItems(lineItems, session.currency);
    const meta = params['metadata'] === undefined ? session.metadata : metadata(params['metadata'], 'metadata', session.metadata);
    session.lineItems = lineItems;
    session.metadata = meta;
    return sessionJson(session, expand);
  }

  /** GET /v1/checkout/sessions/:id/line_items: `limit` (default 10), `starting_after`, `ending_before`. */
  listLineItems(id: string, params: Params) {
    onlyKeys(params, ['limit', 'starting_after', 'ending_before', 'expand']);
    const session = this.session(id);
    const items = session.lineItems;
    const limit = params['limit'] === undefined ? 10 : integer(params['limit'], 'limit', 1, 100);
    const cursor = (param: string) => {
      const at = items.findIndex((item) => item.id === string(params[param], param));
      if (at < 0) throw noSuch('line item', String(params[param]), param);
      return at;
    };
    if (params['ending_before'] !== undefined) {
      const end = cursor('ending_before');
      return listJson(session, items.slice(Math.max(0, end - limit), end), end - limit > 0);
    }
    const start = params['starting_after'] === undefined ? 0 : cursor('starting_after') + 1;
    return listJson(session, items.slice(start, start + limit), start + limit < items.length);
  }

  /** POST /v1/checkout/sessions/:id/expire: open sessions only. */
  expire(id: string, params: Params) {
    onlyKeys(params, ['expand']);
    const session = this.session(id);
    const expand = expansions(params, ['line_items']);
    if (session.status !== 'open') {
      throw new StateError(`Only Checkout Sessions with a status of \`open\` can be expired. This one is \`${session.status}\`.`);
    }
    session.status = 'expired';
    return sessionJson(session, expand);
  }

  // --- for the example server and tests, not part of Stripe's API ----------------------------

  browserSession(clientSecret: string): BrowserSession | null {
    const found = [...this.sessions.values()].find((s) => s.clientSecret === clientSecret);
    if (!found) return null;
    const session = this.session(found.id);
    const total = amount(session.lineItems);
    return {
      id: session.id,
      status: session.status,
      currency: session.currency,
      lineItems: session.lineItems.map((item) => ({
        id: item.id,
        price: item.price.id,
        name: item.price.productName,
        unitAmount: item.price.unitAmount,
        quantity: item.quantity,
      })),
      amountSubtotal: total,
      amountTotal: total,
      expiresAt: session.expiresAt,
    };
  }

  status(id: string): SessionStatus | null {
    return this.sessions.has(id) ? this.session(id).status : null;
  }

  /** Marks an open session paid, as a successful `confirm` in the browser would. */
  complete(id: string): void {
    const session = this.session(id);
    if (session.status !== 'open') throw new Error(`Session ${id} is ${session.status}, not open.`);
    session.status = 'complete';
  }

  createPrice(data: { unitAmount: number; currency: string; productName: string }): string {
    const product = `prod_${token(14)}`;
    this.products.set(product, data.productName);
    return this.newPrice({ ...data, product, active: true }).id;
  }

  // --- rules --------------------------------------------------------------------------------

  private seconds() {
    return Math.floor(this.now() / 1000);
  }

  /** A session past `expires_at` is expired, as Stripe expires it. */
  private session(id: string): Session {
    const found = this.sessions.get(id);
    if (!found) throw noSuch('checkout.session', id, 'session', 404);
    if (found.status === 'open' && this.seconds() >= found.expiresAt) found.status = 'expired';
    return found;
  }

  /**
   * Stripe's rules for `line_items` on update: the whole array is sent; an entry with `id`
   * keeps that item (with a new quantity or metadata if given), an entry with `price` or
   * `price_data` and `quantity` adds one, an item whose id is left out is removed, and the
   * order is the array's. An unknown id is `resource_missing`.
   */
  private retransmitted(current: readonly LineItem[], value: unknown): LineItem[] {
    const byId = new Map(current.map((item) => [item.id, item]));
    const seen = new Set<string>();
    return list(value, 'line_items').map((raw, i) => {
      const param = `line_items[${i}]`;
      const item = object(raw, param);
      if (item['id'] === undefined) return this.newLineItem(item, param);
      const id = string(item['id'], `${param}[id]`);
      const existing = byId.get(id);
      if (!existing) throw noSuch('line item', id, `${param}[id]`);
      if (seen.has(id)) throw invalid(`${param}[id]`, `The line item ${id} appears more than once in line_items.`);
      seen.add(id);
      // Changing an existing item's price is not emulated: leave it out and add a new one.
      onlyKeys(item, ['id', 'quantity', 'metadata'], param);
      return {
        ...existing,
        quantity: item['quantity'] === undefined ? existing.quantity : integer(item['quantity'], `${param}[quantity]`, 1, MAX_QUANTITY),
        metadata: item['metadata'] === undefined ? existing.metadata : metadata(item['metadata'], `${param}[metadata]`, existing.metadata),
      };
    });
  }

  /** A new line item: exactly one of `price` or `price_data`, and `quantity`. */
  private newLineItem(item: Params, param: string): LineItem {
    if (item['id'] !== undefined) throw unknownParam(`${param}[id]`);
    onlyKeys(item, ['price', 'price_data', 'quantity', 'metadata'], param);
    if (item['quantity'] === undefined) throw missing(`${param}[quantity]`);
    const quantity = integer(item['quantity'], `${param}[quantity]`, 1, MAX_QUANTITY);
    const meta = item['metadata'] === undefined ? {} : metadata(item['metadata'], `${param}[metadata]`);
    if ((item['price'] === undefined) === (item['price_data'] === undefined)) {
      throw invalid(param, `You must specify exactly one of ${param}[price] or ${param}[price_data].`);
    }
    const price = item['price'] !== undefined
      ? this.activePrice(string(item['price'], `${param}[price]`), `${param}[price]`)
      : this.inlinePrice(object(item['price_data'], `${param}[price_data]`), `${param}[price_data]`);
    return { id: `li_${token(24)}`, price, quantity, metadata: meta };
  }

  private activePrice(id: string, param: string): Price {
    const price = this.prices.get(id);
    if (!price) throw noSuch('price', id, param);
    if (!price.active) throw invalid(param, 'The price specified is inactive. This field only accepts active prices.');
    return price;
  }

  /** `price_data`: `currency`, `unit_amount`, and `product` or `product_data[name]`. */
  private inlinePrice(data: Params, param: string): Price {
    onlyKeys(data, ['currency', 'unit_amount', 'product', 'product_data'], param);
    if (data['currency'] === undefined) throw missing(`${param}[currency]`);
    const currency = string(data['currency'], `${param}[currency]`).toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`${param}[currency]`, `Invalid currency: ${currency}.`);
    if (data['unit_amount'] === undefined) throw missing(`${param}[unit_amount]`);
    const unitAmount = integer(data['unit_amount'], `${param}[unit_amount]`, 0, 99_999_999);
    if ((data['product'] === undefined) === (data['product_data'] === undefined)) {
      throw invalid(param, `You must specify exactly one of ${param}[product] or ${param}[product_data].`);
    }
    const product = data['product'] !== undefined
      ? this.knownProduct(string(data['product'], `${param}[product]`), `${param}[product]`)
      : this.inlineProduct(object(data['product_data'], `${param}[product_data]`), `${param}[product_data]`);
    return this.newPrice({ unitAmount, currency, product, productName: this.products.get(product)!, active: false });
  }

  private knownProduct(id: string, param: string): string {
    if (!this.products.has(id)) throw noSuch('product', id, param);
    return id;
  }

  private inlineProduct(data: Params, param: string): string {
    onlyKeys(data, ['name', 'description', 'metadata'], param);
    if (data['name'] === undefined) throw missing(`${param}[name]`);
    const name = string(data['name'], `${param}[name]`);
    if (name.trim() === '') throw invalid(`${param}[name]`, 'Product names cannot be empty.', 'parameter_invalid_empty');
    const id = `prod_${token(14)}`;
    this.products.set(id, name);
    return id;
  }

  private newPrice(data: Omit<Price, 'id'>): Price {
    const price: Price = { id: `price_${token(24)}`, ...data };
    this.prices.set(price.id, price);
    return price;
  }
}

/** At least one item, at most 100, all in the session's currency; returns that currency. */
function checkLineItems(items: readonly LineItem[], currency: string | null): string {
  if (items.length === 0) throw invalid('line_items', 'A Checkout Session in payment mode needs at least one line item.');
  if (items.length > MAX_LIST) throw invalid('line_items', `A Checkout Session can have at most ${MAX_LIST} line items.`);
  const expected = currency ?? items[0]!.price.currency;
  const other = items.find((item) => item.price.currency !== expected);
  if (other) throw invalid('line_items', `All line items must use the same currency (${expected}), got ${other.price.currency}.`);
  return expected;
}

// --- JSON, as Stripe answers it ---------------------------------------------------------------

const amount = (items: readonly LineItem[]) => items.reduce((sum, item) => sum + item.price.unitAmount * item.quantity, 0);

function lineItemJson(item: LineItem) {
  const total = item.price.unitAmount * item.quantity;
  return {
    id: item.id,
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: item.price.currency,
    description: item.price.productName,
    metadata: { ...item.metadata },
    price: {
      id: item.price.id,
      object: 'price',
      active: item.price.active,
      currency: item.price.currency,
      livemode: false,
      product: item.price.product,
      type: 'one_time',
      unit_amount: item.price.unitAmount,
      unit_amount_decimal: String(item.price.unitAmount),
    },
    quantity: item.quantity,
  };
}

function listJson(session: Session, items: readonly LineItem[], hasMore: boolean) {
  return { object: 'list', data: items.map(lineItemJson), has_more: hasMore, url: `/v1/checkout/sessions/${session.id}/line_items` };
}

function sessionJson(session: Session, expand: ReadonlySet<string>) {
  const total = amount(session.lineItems);
  return {
    id: session.id,
    object: 'checkout.session',
    amount_subtotal: total,
    amount_total: total,
    cancel_url: null,
    client_secret: session.clientSecret,
    created: session.created,
    currency: session.currency,
    expires_at: session.expiresAt,
    livemode: false,
    metadata: { ...session.metadata },
    mode: 'payment',
    payment_intent: null,
    payment_status: session.status === 'complete' ? 'paid' : 'unpaid',
    return_url: session.returnUrl,
    status: session.status,
    success_url: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'elements',
    url: null,
    ...(expand.has('line_items')
      ? { line_items: listJson(session, session.lineItems.slice(0, EXPANDED_ITEMS), session.lineItems.length > EXPANDED_ITEMS) }
      : {}),
  };
}
