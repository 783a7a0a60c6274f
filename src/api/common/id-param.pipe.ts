import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '../../domain/ids';

/** `@Param('id', IdPipe)`: a malformed id is a 400 that says so, before any query runs. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new BadRequestException(`"${value}" is not a valid id (ids are UUIDs)`);
    return value.toLowerCase();
  }
}
