// Text from files, arguments and paths, made safe to echo on an operator's terminal. An import file's bad line is
// quoted back in its problem; raw, an ESC or C1 byte in it would be a terminal control sequence (retitle the window,
// rewrite the line above, hide text), and a bidi override would reorder what the operator reads.

// C0 controls (newline and tab too: an echo is one line), DEL and C1, the line and paragraph separators, bidi controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Each control character as \xNN (or \uNNNN past 0xff); everything else as it is. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
