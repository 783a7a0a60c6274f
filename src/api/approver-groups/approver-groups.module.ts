import { Module } from '@nestjs/common';
import { ApproverGroupsController } from './approver-groups.controller';
import { ApproverGroupsService } from './approver-groups.service';
import { SeatLossNotifier } from './seat-loss.notifier';

@Module({ controllers: [ApproverGroupsController], providers: [ApproverGroupsService, SeatLossNotifier], exports: [SeatLossNotifier] })
export class ApproverGroupsModule {}
