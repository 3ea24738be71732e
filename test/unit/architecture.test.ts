/**
 * The folders tell the architecture, and this test keeps them honest: every import of every product file is read
 * (type-only imports included) and checked against what its layer may import. README "How it works" states the
 * same rules for people.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** A layer: its folder, the layers it may import, and the packages it may import. */
interface Layer {
  folder: string;
  layers: string[];
  packages: RegExp[];
}

const NODE_PURE = /^node:crypto$/;
const ZOD = /^zod(\/.*)?$/;
/** The PDF library, and the font files its documents embed (read from the font package, or bundled as binaries). */
const PDF = /^pdfkit$/;
const FONT_FILES = /^(node:fs|node:module)$/;
const BUNDLED_FONTS = /^open-sans-fontface\/fonts\/\w+\/OpenSans-\w+\.ttf$/;
/** The ZIP library of the evidence bundle. */
const ZIP = /^fflate$/;

/** Lambda plumbing may use anything of ours, but reaches AWS only through the adapters. */
export const LAYERS: Record<string, Layer> = {
  domain: { folder: 'shared/domain', layers: ['domain'], packages: [ZOD, /^@date-fns\/tz(\/.*)?$/, /^date-holidays$/, NODE_PURE] },
  ports: { folder: 'shared/ports', layers: ['ports', 'domain'], packages: [] },
  rendering: { folder: 'shared/rendering', layers: ['rendering', 'domain'], packages: [ZOD, PDF, FONT_FILES] },
  services: { folder: 'shared/services', layers: ['services', 'domain', 'ports', 'rendering'], packages: [NODE_PURE, ZIP] },
  adapters: { folder: 'shared/adapters', layers: ['adapters', 'domain', 'ports'], packages: [/^@aws-sdk\//, /^@aws-lambda-powertools\//, NODE_PURE] },
  lambda: {
    folder: 'shared/lambda',
    layers: ['lambda', 'services', 'domain', 'ports', 'rendering', 'adapters'],
    packages: [/^@middy\//, /^aws-lambda$/, ZOD, BUNDLED_FONTS],
  },
  functions: {
    folder: 'functions',
    layers: ['functions', 'lambda', 'services', 'domain', 'ports', 'rendering'],
    packages: [/^aws-lambda$/, ZOD],
  },
};

function layerOf(file: string): string | undefined {
  return Object.entries(LAYERS).find(([, layer]) => file === layer.folder || file.startsWith(`${layer.folder}/`))?.[0];
}

/** Every module specifier a file imports or re-exports, static or dynamic, type-only or not. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** What in `source` (a file at `file`, relative to the root) breaks its layer's rules. */
export function violations(file: string, source: string): string[] {
  const name = layerOf(file);
  if (!name) return [];
  const layer = LAYERS[name];
  const found: string[] = [];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      const targetLayer = layerOf(target);
      if (!targetLayer || !layer.layers.includes(targetLayer)) found.push(`${file} imports ${target} (${targetLayer ?? 'outside shared/'})`);
    } else if (!layer.packages.some((allowed) => allowed.test(specifier))) {
      found.push(`${file} imports the package ${specifier}`);
    }
  }
  return found;
}

function productFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f).replaceAll('\\', '/'));
}

const FILES = [...productFiles('shared'), ...productFiles('functions')];

describe('the layout', () => {
  it('puts every product file in a layer', () => {
    expect(FILES.filter((file) => !layerOf(file))).toEqual([]);
  });

  it.each(Object.keys(LAYERS))('keeps %s to the layers and packages it may import', (name) => {
    const found = FILES.filter((file) => layerOf(file) === name).flatMap((file) =>
      violations(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(found).toEqual([]);
  });

  it('leaves the AWS SDK to the adapters among shared code', () => {
    const users = FILES.filter((file) => importsOf(readFileSync(join(ROOT, file), 'utf8')).some((s) => s.startsWith('@aws-sdk/')));
    expect(users.filter((file) => layerOf(file) !== 'adapters')).toEqual([]);
  });
});

describe('the layout check', () => {
  it('flags an AWS client, a Lambda type or an adapter imported by the domain', () => {
    const source = [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import type { Context } from 'aws-lambda';",
      "import { SesMailer } from '../adapters/ses-mailer';",
      "const later = () => import('../lambda/dependencies');",
      "import { addDays } from './dates';",
    ].join('\n');
    expect(violations('shared/domain/example.ts', source)).toEqual([
      'shared/domain/example.ts imports the package @aws-sdk/client-dynamodb',
      'shared/domain/example.ts imports the package aws-lambda',
      'shared/domain/example.ts imports shared/adapters/ses-mailer (adapters)',
      'shared/domain/example.ts imports shared/lambda/dependencies (lambda)',
    ]);
  });

  it('lets a handler use the Lambda plumbing but not an adapter directly', () => {
    const source = "import { getDependencies } from '../shared/lambda/dependencies';\nimport { AwsWorkflow } from '../shared/adapters/aws-workflow';";
    expect(violations('functions/example.ts', source)).toEqual(['functions/example.ts imports shared/adapters/aws-workflow (adapters)']);
  });
});
