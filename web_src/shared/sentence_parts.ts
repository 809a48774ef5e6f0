// A translated sentence with elements inside it (a link, a MAC in monospace), kept whole for
// translators: `_t` fills its named placeholders with markers, and the template renders the text
// between them as text and each marker as its element, in the order the translation puts them.
// No HTML goes through `_t`, so nothing needs escaping.

export type SentencePart = { text: string; slot?: undefined } | { text?: undefined; slot: string };

// Brackets no translation of a sentence of ours contains, unlike "{}", "[]" or "%".
const MARKER = /⟦(\w+)⟧/;

/** Values for `_t`'s `%(name)s` placeholders that `sentenceParts` finds again. */
export function slotMarkers<Name extends string>(...names: Name[]): Record<Name, string> {
  return Object.fromEntries(names.map((name) => [name, `⟦${name}⟧`])) as Record<Name, string>;
}

/** Splits a sentence translated with `slotMarkers` into its text and its slots. */
export function sentenceParts(sentence: string): SentencePart[] {
  // `_t` may answer a String object. With a capturing group, split alternates text and slot
  // names: text, slot, text, ...
  return String(sentence)
    .split(MARKER)
    .map((piece, index): SentencePart => (index % 2 ? { slot: piece } : { text: piece }))
    .filter((part) => part.slot !== undefined || part.text !== "");
}
