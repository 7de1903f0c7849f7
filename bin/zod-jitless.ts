/**
 * Imported first by bin/main.ts, before any module that builds a zod schema. One spec is
 * decoded per CLI run, so zod's JIT (a parser compiled with new Function per object schema,
 * which V8's code cache cannot keep) costs more than it saves. zod reads the setting when each
 * schema is constructed, so setting it inside main() would come too late. The library never
 * sets it: a long-lived caller gains from the JIT.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
