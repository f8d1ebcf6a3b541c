import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateSubtaskDto } from './dto/create-subtask.dto';
import {
  IdempotencyKey,
  IdempotencyKeyPipe,
  PutSubtaskResultDto,
  PutSubtaskResultQuery,
} from './dto/put-subtask-result.input';
import { SubtaskIdParams } from './dto/subtask-id.params';
import { SubtaskView } from './dto/subtask.view';
import { UploadAcceptedView, UploadFinishedView } from './dto/upload.view';
import { SubtasksService } from './subtasks.service';

const DATABASE_UNAVAILABLE =
  'DATABASE_UNAVAILABLE: PostgreSQL cannot be reached; retry after Retry-After seconds.';

@ApiTags('subtasks')
@Controller('subtasks')
export class SubtasksController {
  constructor(private readonly subtasks: SubtasksService) {}

  @Post()
  @ApiCreatedResponse({ type: SubtaskView })
  @ApiBadRequestResponse({
    description: 'Invalid body; the message names the field.',
  })
  @ApiServiceUnavailableResponse({ description: DATABASE_UNAVAILABLE })
  async create(@Body() body: CreateSubtaskDto): Promise<SubtaskView> {
    return SubtaskView.of(await this.subtasks.create(body.title));
  }

  @Get(':id')
  @ApiOkResponse({ type: SubtaskView })
  @ApiBadRequestResponse({
    description: 'Invalid id (too long, or a NUL character).',
  })
  @ApiNotFoundResponse({ description: 'No such subtask.' })
  @ApiServiceUnavailableResponse({ description: DATABASE_UNAVAILABLE })
  async findOne(@Param() { id }: SubtaskIdParams): Promise<SubtaskView> {
    return SubtaskView.of(await this.subtasks.findByIdOrThrow(id));
  }

  @Put(':id/result')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({
    type: UploadAcceptedView,
    description:
      'Flag set and command published; the flag clears when the worker is done.',
  })
  @ApiOkResponse({
    type: UploadFinishedView,
    description: 'With ?wait=true: the worker replied.',
  })
  @ApiBadRequestResponse({
    description: 'Invalid body or query; the message names the field.',
  })
  @ApiNotFoundResponse({ description: 'No such subtask.' })
  @ApiConflictResponse({
    description:
      'An upload of this subtask is in flight (its requestId is given).',
  })
  @ApiServiceUnavailableResponse({
    description:
      'Kafka refused the command (it was not published); the flag was put back. A publish whose outcome is unknown (a timeout before the acknowledgement) answers 202 and keeps the flag until the reply, the event or the reconciler settles it.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: the same key for the same subtask answers with the same request id and never stores a second version (422 when the body differs). Kept for IDEMPOTENCY_KEY_TTL_MS (default 24 h).',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'The Idempotency-Key was used for this subtask with another body.',
  })
  async putResult(
    @Param() { id }: SubtaskIdParams,
    @Body() body: PutSubtaskResultDto,
    @Query() query: PutSubtaskResultQuery,
    @IdempotencyKey(IdempotencyKeyPipe) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UploadAcceptedView | UploadFinishedView> {
    const upload = await this.subtasks.queueUploadResult({
      subtaskId: id,
      isWorkerComplete: body.isWorkerComplete,
      wait: query.wait,
      idempotencyKey,
    });
    if (upload.status === 'accepted') return { requestId: upload.requestId };
    response.status(HttpStatus.OK);
    return {
      requestId: upload.requestId,
      outcome: upload.outcome,
      resultVersion: upload.resultVersion,
      reason: upload.reason,
    };
  }
}
