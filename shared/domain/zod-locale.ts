/**
 * zod/mini loads no locale: without one every issue reads a bare "Invalid input". Every module that builds zod
 * schemas imports this file for its side effect, so the English messages (the ones classic zod gives, and the ones
 * our 400 answers and tests show) are there whichever handler is bundled. The deep import carries English only;
 * `z.locales.en()` would pull every locale into each bundle.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
