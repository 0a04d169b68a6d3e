import type { Account, PlatformId } from '../../core/post.js';
import { platformNames } from '../../core/platform-names.js';
import { actionIds, type Block, escapeMrkdwn } from '../../notify/slack/blocks.js';

export const postModalCallbackId = 'hayon_post_modal';
/** The same form, filled in with a post to edit (the Edit button); its metadata names the post. */
export const editModalCallbackId = 'hayon_edit_modal';

/** What the modal carries between opening and submission (`private_metadata`). */
export interface ModalMetadata {
  channelId: string;
  /** Files of the message a shortcut started from. */
  fileIds: string[];
  /** The post an Edit form changes. */
  postId?: string | undefined;
  /** The time an Edit form showed at first: a "When" left as it was does not reschedule. */
  whenShown?: string | undefined;
}

export interface PostModalOptions {
  metadata: ModalMetadata;
  accounts: readonly Account[];
  /** Account ids chosen at first. */
  defaultTargets: readonly string[];
  text?: string | undefined;
  /** Names of the message's files, shown; their ids are in the metadata. */
  fileNames?: readonly string[] | undefined;
  /** The line under "When": the resolved time, or why it could not be read. */
  whenEcho?: string | undefined;
  /** An Edit form's values as the post has them. */
  when?: string | undefined;
  overrides?: Partial<Record<PlatformId, string>> | undefined;
  linkPreview?: boolean | undefined;
  thread?: boolean | undefined;
}

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const linkPreviewOption = { text: plain('Show a card of the first link (when there are no files)'), value: 'on' };
/** The words a refusal of a text too long points at (`core/next-step.ts`): keep them the same. */
const threadOption = { text: plain('Split a long text into a thread'), value: 'auto' };

/**
 * The `/post` modal: text, targets (the workspace's accounts), when (echoed as a resolved time
 * before submit), files with alt text, and a text per platform. Block and action ids are stable
 * so `views.update` keeps what was typed.
 */
export function postModal(options: PostModalOptions): Record<string, unknown> {
  const { accounts, metadata } = options;
  const optionOf = (a: Account) => ({
    text: plain(`${platformNames[a.platform]} ${a.handle}`.slice(0, 75)),
    value: a.id,
  });
  const initial = accounts.filter((a) => options.defaultTargets.includes(a.id)).map(optionOf);
  const blocks: Block[] = [
    {
      type: 'input',
      block_id: 'text',
      optional: true,
      label: plain('Text'),
      element: {
        type: 'plain_text_input',
        action_id: 'text',
        multiline: true,
        ...(options.text ? { initial_value: options.text.slice(0, 3000) } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'targets',
      label: plain('Post to'),
      element: {
        type: 'multi_static_select',
        action_id: 'targets',
        placeholder: plain('Accounts'),
        options: accounts.map(optionOf),
        ...(initial.length ? { initial_options: initial } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'when',
      optional: true,
      dispatch_action: true,
      label: plain('When'),
      hint: plain('now, in 2 hours, tomorrow 9am, friday 17:30 Europe/Berlin. Press Enter to check it.'),
      element: {
        type: 'plain_text_input',
        action_id: actionIds.when,
        placeholder: plain('now'),
        ...(options.when ? { initial_value: options.when } : {}),
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      },
    },
    {
      type: 'context',
      block_id: 'when_echo',
      elements: [{ type: 'mrkdwn', text: options.whenEcho ?? 'Publishes as soon as you submit.' }],
    },
  ];
  if (options.fileNames?.length) {
    const names = options.fileNames.map((n) => `\`${escapeMrkdwn(n)}\``).join(', ');
    blocks.push({
      type: 'context',
      block_id: 'message_files',
      elements: [{ type: 'mrkdwn', text: `From the message: ${names}` }],
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: 'files',
      optional: true,
      label: plain('Images or a video'),
      element: {
        type: 'file_input',
        action_id: 'files',
        filetypes: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'mp4'],
        max_files: 4,
      },
    },
    {
      type: 'input',
      block_id: 'alt',
      optional: true,
      label: plain('Alt text'),
      hint: plain('One line per image, in order: what someone who cannot see it should know.'),
      element: { type: 'plain_text_input', action_id: 'alt', multiline: true },
    },
    {
      type: 'input',
      block_id: 'link_preview',
      optional: true,
      label: plain('Link card'),
      element: {
        type: 'checkboxes',
        action_id: 'link_preview',
        options: [linkPreviewOption],
        ...(options.linkPreview === false ? {} : { initial_options: [linkPreviewOption] }),
      },
    },
    {
      type: 'input',
      block_id: 'thread',
      optional: true,
      label: plain('Thread'),
      hint: plain('Where the text is too long for a platform, it goes out there as a thread of posts.'),
      element: {
        type: 'checkboxes',
        action_id: 'thread',
        options: [threadOption],
        ...(options.thread ? { initial_options: [threadOption] } : {}),
      },
    },
  );
  const platforms = [...new Set(accounts.map((a) => a.platform))];
  for (const platform of platforms) {
    blocks.push({
      type: 'input',
      block_id: `override_${platform}`,
      optional: true,
      label: plain(`Text for ${platformNames[platform]} only`),
      element: {
        type: 'plain_text_input',
        action_id: 'text',
        multiline: true,
        ...(options.overrides?.[platform] ? { initial_value: options.overrides[platform].slice(0, 3000) } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: metadata.postId ? editModalCallbackId : postModalCallbackId,
    title: plain(metadata.postId ? 'Edit post' : 'Post to social'),
    submit: plain(metadata.postId ? 'Save' : 'Post'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** What a submitted modal says, read from `view.state.values`. */
export interface ModalValues {
  text: string;
  targets: string[];
  when: string;
  fileIds: string[];
  alts: string[];
  overrides: Partial<Record<PlatformId, string>>;
  /** Whether the link card box stayed ticked (true when the modal had no such box). */
  linkPreview: boolean;
  /** Whether "Split a long text into a thread" was ticked. */
  thread: boolean;
}

type StateValues = Record<string, Record<string, Record<string, unknown>>>;

export function readModal(values: StateValues): ModalValues {
  const field = (block: string, action: string) => values[block]?.[action];
  const str = (block: string, action: string) => {
    const v = field(block, action)?.value;
    return typeof v === 'string' ? v : '';
  };
  const selected = (field('targets', 'targets')?.selected_options ?? []) as { value: string }[];
  const files = (field('files', 'files')?.files ?? []) as { id: string }[];
  const cardBox = field('link_preview', 'link_preview')?.selected_options as unknown[] | undefined;
  const threadBox = field('thread', 'thread')?.selected_options as unknown[] | undefined;
  const overrides: Partial<Record<PlatformId, string>> = {};
  for (const block of Object.keys(values)) {
    const m = /^override_(\w+)$/.exec(block);
    const text = m ? str(block, 'text') : '';
    if (m?.[1] && text.trim()) overrides[m[1] as PlatformId] = text;
  }
  return {
    text: str('text', 'text'),
    targets: selected.map((o) => o.value),
    when: str('when', actionIds.when).trim(),
    fileIds: files.map((f) => f.id),
    alts: str('alt', 'alt')
      .split('\n')
      .map((a) => a.trim()),
    overrides,
    linkPreview: cardBox === undefined || cardBox.length > 0,
    thread: (threadBox?.length ?? 0) > 0,
  };
}
