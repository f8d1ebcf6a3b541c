import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { HttpErrorsFilter } from './http-errors.filter';

/**
 * The catch-all error filter. Import it before feature modules with their own filters: Nest tries
 * global filters last-registered first, and this one takes every error.
 */
@Module({
  providers: [{ provide: APP_FILTER, useClass: HttpErrorsFilter }],
})
export class HttpErrorsModule {}
