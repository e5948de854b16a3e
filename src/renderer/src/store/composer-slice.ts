import type { StateCreator } from 'zustand';
import type { Api, SavedTemplate, SignaturePreview } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import type { DeliveryDetail } from '../../../shared/delivery';
import { isEventType, type EventType } from '../../../shared/reviewsense/event-types';
import { base64ToBytes } from '../lib/bytes';
import { eventTypeOf } from '../lib/event-text';
import { NO_DRAWER } from './drawers';
import type { AppState } from './index';
import { replayTargetOf } from './replay-slice';
import { actionRunner } from './run-action';
import { currentSecretOf } from './secrets';

export type SendVariant = 'valid' | 'invalid' | 'none' | 'tampered';

/** What the composer sends: a test event (`send`), or an edited replay of a captured delivery. */
export type ComposerMode = { kind: 'send' } | { kind: 'replay'; deliveryId: number };

export interface ComposerDraft {
  mode: ComposerMode;
  type: EventType;
  body: string;
  /** Empty: Hooklens' own receiver. */
  target: string;
  /** null: no secret (then only `none` or `invalid` make sense). */
  secretId: string | null;
  variant: SendVariant;
}

export type SentRequest = Pick<ComposerDraft, 'mode' | 'body' | 'target' | 'secretId' | 'variant'>;

export interface ComposerSlice {
  /** null while the composer is closed. */
  composer: ComposerDraft | null;
  composerBusy: boolean;
  composerError: string | null;
  /** The answer to the last send, shown in the dialog. */
  composerResult: Attempt | null;
  signaturePreview: SignaturePreview | null;
  previewError: string | null;
  /** What the last send carried, for "Same event again". */
  lastSent: SentRequest | null;
  templates: SavedTemplate[];
  templatesError: string | null;
  openComposer: () => Promise<void>;
  /** "Edit and replay…": the composer pre-filled with this delivery's body (the open one by default). */
  openReplayComposer: (delivery?: DeliveryDetail) => Promise<void>;
  closeComposer: () => void;
  updateComposer: (change: Partial<Pick<ComposerDraft, 'body' | 'target' | 'secretId' | 'variant'>>) => void;
  /** A fresh event of this type replaces the body. */
  chooseType: (type: EventType) => Promise<void>;
  /** A new id and created_at, the rest of the body as edited. */
  freshId: () => Promise<void>;
  sendComposer: () => Promise<Attempt | null>;
  /** Sends the last body again, byte for byte: a redelivery of the same event id. */
  sendAgain: () => Promise<Attempt | null>;
  previewComposer: () => Promise<void>;
  saveTemplate: (name: string) => Promise<boolean>;
  loadTemplate: (name: string) => void;
  removeTemplate: (name: string) => Promise<boolean>;
}

/** Text of a captured body for editing, or null when it is not UTF-8 (a BOM is kept as a character). */
function editableText(bodyBase64: string): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(base64ToBytes(bodyBase64));
  } catch {
    return null;
  }
}

export function createComposerSlice(api: Api): StateCreator<AppState, [], [], ComposerSlice> {
  let lastType: EventType = 'review.analysed';
  let previewRequest = 0;
  // Only the newest body request may land: a slow newTestEvent must not overwrite a later choice.
  let bodyRequest = 0;

  return (set, get) => {
    const composerCall = actionRunner(set, 'composerError');
    const templatesCall = actionRunner(set, 'templatesError');

    function defaultSigning(): Pick<ComposerDraft, 'secretId' | 'variant'> {
      const secret = currentSecretOf(get().secrets);
      return { secretId: secret?.id ?? null, variant: secret ? 'valid' : 'none' };
    }

    function patch(change: Partial<ComposerDraft>): void {
      const draft = get().composer;
      if (draft) set({ composer: { ...draft, ...change } });
    }

    async function newBody(type: EventType, make: (fresh: string) => string | Promise<string>): Promise<void> {
      const mine = ++bodyRequest;
      await composerCall(async () => {
        const body = await make(await api.newTestEvent(type));
        if (mine === bodyRequest) patch({ body });
      });
    }

    async function send(request: SentRequest): Promise<Attempt | null> {
      if (get().composerBusy) return null;
      set({ composerBusy: true });
      let attempt: Attempt | null = null;
      await composerCall(async () => {
        const target = request.target.trim() || null;
        attempt =
          request.mode.kind === 'send'
            ? await api.sendTestEvent({ target, body: request.body, secretId: request.secretId, variant: request.variant })
            : await api.replayDelivery({ id: request.mode.deliveryId, target, signature: request.variant, secretId: request.secretId, body: request.body });
        set({ composerResult: attempt, lastSent: request });
        if (request.mode.kind === 'replay') set({ replayTarget: request.target.trim() });
      });
      set({ composerBusy: false });
      // The core remembers targets used; the datalist follows.
      if (attempt && request.target.trim()) await get().loadOutgoing();
      return attempt;
    }

    async function loadTemplates(): Promise<void> {
      await templatesCall(async () => set({ templates: await api.listTemplates() }));
    }

    const opened = { ...NO_DRAWER, composerResult: null, composerError: null, signaturePreview: null, previewError: null, lastSent: null } as const;

    return {
      composer: null,
      composerBusy: false,
      composerError: null,
      composerResult: null,
      signaturePreview: null,
      previewError: null,
      lastSent: null,
      templates: [],
      templatesError: null,

      async openComposer() {
        const unsigned = get().secrets.length === 0;
        set({ ...opened, composer: { mode: { kind: 'send' }, type: lastType, body: '', target: '', ...defaultSigning() } });
        // Opened (n) before the secrets had loaded: sign once they are there, unless changed meanwhile.
        await Promise.all([newBody(lastType, (fresh) => fresh), loadTemplates(), get().loadOutgoing(), ...(unsigned ? [get().loadSettings()] : [])]);
        const draft = get().composer;
        if (unsigned && draft && draft.secretId === null && draft.variant === 'none') patch(defaultSigning());
      },

      async openReplayComposer(delivery = get().view?.delivery) {
        if (!delivery) return;
        const body = delivery.bodyBase64 === null ? null : editableText(delivery.bodyBase64);
        if (body === null) {
          set({ replayError: `Delivery #${delivery.id} has no body that can be edited as text (${delivery.bodyBase64 === null ? 'none was stored' : 'it is not UTF-8'}); replay it as captured instead.` });
          return;
        }
        ++bodyRequest;
        const type = isEventType(delivery.eventType) ? delivery.eventType : (eventTypeOf(body) ?? lastType);
        const signing = defaultSigning();
        set({
          ...opened,
          replayError: null,
          composer: { mode: { kind: 'replay', deliveryId: delivery.id }, type, body, target: replayTargetOf(get()), secretId: signing.secretId, variant: signing.secretId ? 'valid' : 'none' },
        });
        await Promise.all([loadTemplates(), get().loadOutgoing()]);
      },

      closeComposer() {
        ++bodyRequest;
        set({ composer: null, composerBusy: false });
      },

      updateComposer(change) {
        // No secret cannot sign: only "none" and "invalid" (another, made-up secret) remain.
        const next = { ...change };
        if (change.secretId === null && (get().composer?.variant === 'valid' || get().composer?.variant === 'tampered')) next.variant = 'none';
        patch(next);
      },

      async chooseType(type) {
        lastType = type;
        patch({ type });
        await newBody(type, (fresh) => fresh);
      },

      async freshId() {
        const draft = get().composer;
        if (!draft) return;
        const type = eventTypeOf(draft.body) ?? draft.type;
        await newBody(type, async (fresh) => {
          // Loaded on first use: it reads the body's tree, and the parser comes with the editor's chunk.
          const { withFreshId } = await import('../lib/fresh-id');
          return withFreshId(get().composer?.body ?? draft.body, fresh);
        });
      },

      async sendComposer() {
        const draft = get().composer;
        return draft ? send({ mode: draft.mode, body: draft.body, target: draft.target, secretId: draft.secretId, variant: draft.variant }) : null;
      },

      async sendAgain() {
        const last = get().lastSent;
        return last ? send(last) : null;
      },

      async previewComposer() {
        const draft = get().composer;
        if (!draft) return;
        const mine = ++previewRequest;
        try {
          const preview = await api.previewSignature({ body: draft.body, secretId: draft.secretId, variant: draft.variant });
          if (mine === previewRequest) set({ signaturePreview: preview, previewError: null });
        } catch (error) {
          if (mine === previewRequest) set({ signaturePreview: null, previewError: (error as Error).message });
        }
      },

      saveTemplate: (name) =>
        templatesCall(async () => {
          const draft = get().composer;
          if (draft) set({ templates: await api.saveTemplate({ name: name.trim(), body: draft.body }) });
        }),

      loadTemplate(name) {
        const template = get().templates.find((entry) => entry.name === name);
        if (!template) return;
        ++bodyRequest;
        const type = eventTypeOf(template.body);
        if (type && get().composer?.mode.kind === 'send') lastType = type;
        patch({ body: template.body, ...(type ? { type } : {}) });
      },

      removeTemplate: (name) => templatesCall(async () => set({ templates: await api.removeTemplate(name) })),
    };
  };
}
