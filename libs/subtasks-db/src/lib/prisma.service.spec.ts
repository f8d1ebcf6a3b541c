import { Logger } from '@nestjs/common';
import { PrismaService } from './prisma.service';

const password = 'p@ss:w/rd?#%&+';
const url = `postgresql://app:${encodeURIComponent(password)}@127.0.0.1:1/subtasks?sslmode=verify-full&application_name=api`;

describe('PrismaService (no server)', () => {
  it('never logs or rethrows the password of DATABASE_URL', async () => {
    const prisma = new PrismaService(url);
    jest
      .spyOn(prisma, '$queryRaw')
      .mockRejectedValue(
        new Error(
          `driver said ${password} in ${url} (${encodeURIComponent(password)})`,
        ),
      );
    const logError = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);

    const error = await prisma.onModuleInit().then(
      () => new Error('resolved'),
      (reason: Error) => reason,
    );
    const logged = logError.mock.calls.map((call) => call.join(' ')).join('\n');
    logError.mockRestore();

    expect(logged).toContain(
      'cannot reach PostgreSQL at postgresql://app:***@127.0.0.1:1/subtasks?sslmode=verify-full&application_name=api (DATABASE_URL)',
    );
    for (const text of [logged, error.message, error.stack ?? '']) {
      expect(text).toContain('driver said ***');
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    expect(prisma.describe(new Error(password))).toBe('***');
  });
});
