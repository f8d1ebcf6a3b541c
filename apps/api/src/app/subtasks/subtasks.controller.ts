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
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateSubtaskDto } from './dto/create-subtask.dto';
import {
  PutSubtaskResultDto,
  PutSubtaskResultQuery,
} from './dto/put-subtask-result.dto';
import { SubtaskView } from './dto/subtask.view';
import { UploadAcceptedView, UploadFinishedView } from './dto/upload.view';
import { SubtasksService } from './subtasks.service';

@ApiTags('subtasks')
@Controller('subtasks')
export class SubtasksController {
  constructor(private readonly subtasks: SubtasksService) {}

  @Post()
  @ApiCreatedResponse({ type: SubtaskView })
  @ApiBadRequestResponse({
    description: 'Invalid body; the message names the field.',
  })
  async create(@Body() body: CreateSubtaskDto): Promise<SubtaskView> {
    return SubtaskView.of(await this.subtasks.create(body.title));
  }

  @Get(':id')
  @ApiOkResponse({ type: SubtaskView })
  @ApiNotFoundResponse({ description: 'No such subtask.' })
  async findOne(@Param('id') id: string): Promise<SubtaskView> {
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
    description: 'The command could not be published; the flag was put back.',
  })
  async putResult(
    @Param('id') id: string,
    @Body() body: PutSubtaskResultDto,
    @Query() query: PutSubtaskResultQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<UploadAcceptedView | UploadFinishedView> {
    const upload = await this.subtasks.queueUploadResult({
      subtaskId: id,
      isWorkerComplete: body.isWorkerComplete,
      wait: query.wait,
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
