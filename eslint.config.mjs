import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  { ignores: ['**/dist', '**/node_modules', '**/cdk.out', '**/coverage', '.nx/**', '.lakewall/**'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Services run on ECS: they never pull in the CDK.
            {
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
            },
            // Infrastructure never imports service code.
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib', 'type:infra'] },
            // Shared libraries stay free of both the CDK and services.
            {
              sourceTag: 'type:lib',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:lib', 'type:tool'],
              bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert on shapes they have just built; a non-null assertion there is a test failure, not a crash.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
