import nx from '@nx/eslint-plugin';

const prismaImports = ['@prisma/client', '@prisma/adapter-pg', 'prisma'];
const dbOnlyImports = [...prismaImports, 'pg'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/.stack', '**/generated/prisma/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            // Layering: schemas → contracts → messaging → apps; the data lib → apps.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:app-shell',
                'type:contracts',
                'type:messaging',
                'type:data-access',
                'type:util',
              ],
            },
            {
              // The wiring every app shares: it may use every library, and no app imports another.
              sourceTag: 'type:app-shell',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:messaging',
                'type:data-access',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:messaging',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:util'],
              bannedExternalImports: dbOnlyImports,
            },
            {
              sourceTag: 'type:contracts',
              onlyDependOnLibsWithTags: ['type:schemas'],
              allowedExternalImports: ['avsc', 'tslib'],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:util'],
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
              bannedExternalImports: dbOnlyImports,
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: [
                'type:tool',
                'type:contracts',
                'type:messaging',
                'type:util',
              ],
              // The stack and test tools create and drop databases with pg; Prisma stays in the data lib.
              bannedExternalImports: prismaImports,
            },
            {
              // End-to-end tests also drive the stack (start a cluster, kill a broker).
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'type:contracts',
                'type:messaging',
                'type:data-access',
                'type:util',
                'type:tool',
              ],
              bannedExternalImports: prismaImports,
            },
            // Apps never import each other, and only the data lib touches Prisma.
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'],
              bannedExternalImports: dbOnlyImports,
            },
            {
              sourceTag: 'scope:worker',
              onlyDependOnLibsWithTags: ['scope:worker', 'scope:shared'],
              bannedExternalImports: dbOnlyImports,
            },
            {
              sourceTag: 'scope:e2e',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Type-aware: a promise nobody awaits is how a flag stays set or an error vanishes.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
];
