import type { ContentPart, TextPart } from '../../spec/chat.js';

type Obj = Record<string, unknown>;
type CacheControl = NonNullable<TextPart['cache_control']>;

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** An Anthropic image block → the canonical (OpenAI) image part; base64 sources become data URLs. */
export const imageBlockToPart = (source: Obj | undefined, cacheControl: CacheControl | null | undefined): ContentPart | undefined => {
  if (source === undefined) return undefined;
  let url: string | undefined;
  if (source.type === 'base64' && typeof source.data === 'string' && typeof source.media_type === 'string') {
    url = `data:${source.media_type};base64,${source.data}`;
  } else if (source.type === 'url' && typeof source.url === 'string') url = source.url;
  if (url === undefined) return undefined;
  // Images may carry a cache breakpoint too; the canonical image part keeps it as an extra key.
  const part: Obj = { type: 'image_url', image_url: { url } };
  if (cacheControl) part.cache_control = cacheControl;
  return part as unknown as ContentPart;
};

/** A canonical part → an Anthropic content block (text and images translated, other blocks passed through). */
export const partToBlock = (part: ContentPart): Obj => {
  if (part.type === 'text') {
    const p = part as TextPart;
    return p.cache_control ? { type: 'text', text: p.text, cache_control: p.cache_control } : { type: 'text', text: p.text };
  }
  if (part.type === 'image_url') {
    const url = String((part.image_url as { url?: unknown } | undefined)?.url ?? '');
    const match = DATA_URL.exec(url);
    const block: Obj = {
      type: 'image',
      source: match ? { type: 'base64', media_type: match[1], data: match[2] } : { type: 'url', url },
    };
    const cacheControl = (part as Obj).cache_control;
    if (cacheControl) block.cache_control = cacheControl;
    return block;
  }
  return part as Obj;
};
