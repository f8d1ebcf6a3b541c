import type { INestApplication } from '@nestjs/common';
import { checkBodyShape, parseJsonBody, requireJsonBody } from './json-body';
import { inputValidationPipe } from './validation-pipe';

/**
 * Everything a request's input goes through before a controller: content type, JSON parsing (size,
 * charset, encoding), body shape (object, depth, prototype keys), then the DTOs' validation. The app
 * must be created with `bodyParser: false`: these parsers replace Nest's. Call before `listen`.
 */
export function configureRequestInput(app: INestApplication): void {
  app.use(requireJsonBody(), parseJsonBody(), checkBodyShape());
  app.useGlobalPipes(inputValidationPipe());
}
